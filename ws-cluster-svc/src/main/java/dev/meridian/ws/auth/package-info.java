/** Connection and subscription JWTs (HS256, RS256) verified with jose4j. */
package dev.meridian.ws.auth;
