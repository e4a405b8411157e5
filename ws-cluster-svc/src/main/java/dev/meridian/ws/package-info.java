/** ws-cluster-svc: WebSocket clustering that speaks the Centrifugo client protocol v2 (JSON) over Redis streams and pub/sub; {@link dev.meridian.ws.WsRuntime} wires a node. */
package dev.meridian.ws;
