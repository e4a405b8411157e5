package dev.meridian.ws.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A WebSocket client speaking the Centrifugo client protocol v2 (JSON) from the JDK's own
 * WebSocket: sends commands, answers server pings, and lets a test wait for replies, pushes and the
 * close code. {@link #pause()} stops reading, to play a slow client.
 */
final class ProtocolClient implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> stash = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean paused;
    private WebSocket socket;

    static ProtocolClient open(int port) throws Exception {
        ProtocolClient client = new ProtocolClient();
        client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/connection/websocket"), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Opens and connects (anonymously when token is null); fails unless the connect succeeded. */
    static ProtocolClient connected(int port, String token) throws Exception {
        ProtocolClient client = open(port);
        JsonNode reply = client.connect(token);
        if (!reply.has("connect")) {
            throw new AssertionError("connect failed: " + reply);
        }
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            for (String line : partial.toString().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode frame = JSON.readTree(line);
                    if (frame.isObject() && frame.isEmpty()) {
                        webSocket.sendText("{}", true);
                    } else {
                        inbox.add(frame);
                    }
                } catch (Exception e) {
                    inbox.add(JSON.createObjectNode().put("unparsable", line));
                }
            }
            partial.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends {@code {"id":n,"<method>":params}} and waits for the reply with that id. */
    JsonNode call(String method, ObjectNode params) throws InterruptedException {
        long id = ids.incrementAndGet();
        ObjectNode command = JSON.createObjectNode();
        command.put("id", id);
        command.set(method, params);
        send(command.toString());
        return await(f -> f.path("id").asLong() == id, Duration.ofSeconds(10));
    }

    JsonNode connect(String token) throws InterruptedException {
        ObjectNode params = JSON.createObjectNode();
        if (token != null) {
            params.put("token", token);
        }
        return call("connect", params);
    }

    JsonNode subscribe(String channel) throws InterruptedException {
        return call("subscribe", JSON.createObjectNode().put("channel", channel));
    }

    JsonNode recover(String channel, long offset, String epoch) throws InterruptedException {
        return call("subscribe", JSON.createObjectNode().put("channel", channel).put("recover", true).put("offset", offset)
                .put("epoch", epoch));
    }

    JsonNode publish(String channel, JsonNode data) throws InterruptedException {
        ObjectNode params = JSON.createObjectNode().put("channel", channel);
        params.set("data", data);
        return call("publish", params);
    }

    /** Waits for the next {@code count} publications of {@code channel}, in arrival order. */
    List<JsonNode> publications(String channel, int count, Duration timeout) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            long left = deadline - System.nanoTime();
            JsonNode frame = await(f -> channel.equals(f.path("push").path("channel").asText()) && f.path("push").has("pub"),
                    Duration.ofNanos(Math.max(1, left)));
            if (frame == null) {
                break;
            }
            out.add(frame.path("push").path("pub"));
        }
        return out;
    }

    /** The first frame matching, stashing others for later waits; null on timeout. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        for (Iterator<JsonNode> it = stash.iterator(); it.hasNext(); ) {
            JsonNode frame = it.next();
            if (match.test(frame)) {
                it.remove();
                return frame;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            // In slices, so a socket the server has closed ends the wait instead of the timeout.
            JsonNode frame = inbox.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            if (frame == null) {
                if (closed.isDone() && inbox.isEmpty()) {
                    return null;
                }
                continue;
            }
            if (match.test(frame)) {
                return frame;
            }
            stash.add(frame);
        }
    }

    /** The close code the server sent, or -1 when it did not close in time. */
    int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.abort();
        }
    }
}
