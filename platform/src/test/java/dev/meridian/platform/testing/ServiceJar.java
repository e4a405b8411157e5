package dev.meridian.platform.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A packaged service ({@code target/quarkus-app/quarkus-run.jar}) started as its own process, for
 * tests that need several instances or must outlive a restart. Stopped with the JVM at the latest.
 */
public final class ServiceJar implements AutoCloseable {

    private final Process process;
    private final int httpPort;
    private final Path log;

    private ServiceJar(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts the module's jar with these environment variables and waits until it is ready. The
     * HTTP port is picked free beforehand, so something else (an outgoing connection's ephemeral
     * port, another service starting at the same moment) can take it before the service binds: a
     * start that fails with "Address already in use" is tried again on another port.
     */
    public static ServiceJar start(String name, Map<String, String> environment) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path log = Files.createTempFile("meridian-" + name + "-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar",
                    Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(new File(log.toString()));
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().putAll(environment);
            ServiceJar service = new ServiceJar(builder.start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(service.process::destroyForcibly));
            if (service.awaitReady()) {
                return service;
            }
            if (attempt == 3 || !Files.readString(log).contains("Address already in use")) {
                throw new IllegalStateException("the service exited; see " + log);
            }
        }
    }

    /**
     * True once this process answers ready on its port (its own log names the port, so another
     * process holding that port is not mistaken for it); false when the process exited first.
     */
    private boolean awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Pattern listening = Pattern.compile("Listening on: \\S+:" + httpPort + "\\b");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && listening.matcher(Files.readString(log)).find()) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not become ready in 90 s; see " + log);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The process id, for tests that freeze (SIGSTOP) or kill a service. */
    public long pid() {
        return process.pid();
    }

    /** Ends the process at once (SIGKILL): a crash, not a shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    public Path log() {
        return log;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
