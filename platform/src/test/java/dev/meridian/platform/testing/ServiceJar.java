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

    /** Starts the module's jar with these environment variables and waits until it is ready. */
    public static ServiceJar start(String name, Map<String, String> environment) throws IOException, InterruptedException {
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
        service.awaitReady();
        return service;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
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
