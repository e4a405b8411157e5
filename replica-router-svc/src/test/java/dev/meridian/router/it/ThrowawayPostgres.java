package dev.meridian.router.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.meridian.router.it.LocalPostgres.pgCtlOn;
import static dev.meridian.router.it.LocalPostgres.postgresTool;

/**
 * A primary and streaming standbys of their own, for tests that stop, promote and restart
 * servers: the local environment's cluster serves every other test and must stay as it is.
 * Trust authentication on loopback and no fsync: it lives for one test.
 */
final class ThrowawayPostgres implements AutoCloseable {

    final int primaryPort;
    /** The standbys' ports, in order; each streams from the primary. */
    final int[] standbyPorts;
    private final Path directory;
    private final Path primary;

    private ThrowawayPostgres(Path directory, int primaryPort, int[] standbyPorts) {
        this.directory = directory;
        this.primaryPort = primaryPort;
        this.standbyPorts = standbyPorts;
        this.primary = directory.resolve("primary");
    }

    /** A primary and {@code standbys} standbys streaming from it, all in clear. */
    static ThrowawayPostgres start(int standbys) throws Exception {
        return start(standbys, null);
    }

    /**
     * With {@code certificate} (PEM certificate and key), every server takes TLS with it and
     * refuses connections without (pg_hba {@code hostssl} only).
     */
    static ThrowawayPostgres start(int standbys, Path[] certificate) throws Exception {
        // Under /var/tmp, which the postgres user can enter wherever the checkout is.
        Path directory = Files.createTempDirectory(Path.of("/var/tmp"), "meridian-failover-");
        chownToPostgres(directory);
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        while (ports.size() < 1 + standbys) {
            ports.add(freePort());
        }
        int[] all = ports.stream().mapToInt(Integer::intValue).toArray();
        ThrowawayPostgres cluster = new ThrowawayPostgres(directory, all[0], java.util.Arrays.copyOfRange(all, 1, all.length));
        try {
            cluster.initPrimary(certificate);
            for (int i = 0; i < standbys; i++) {
                cluster.cloneStandby(i);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static String url(int port) {
        return "postgresql://postgres:unused@127.0.0.1:" + port + "/postgres";
    }

    private void initPrimary(Path[] certificate) throws Exception {
        postgresTool("initdb", "-D", primary.toString(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8", "--no-sync");
        String host = "host";
        if (certificate != null) {
            // In the data directory, so pg_basebackup gives the standby the same; the key readable by its owner only.
            Files.copy(certificate[0], primary.resolve("server.crt"));
            Files.copy(certificate[1], primary.resolve("server.key"));
            for (String file : new String[] {"server.crt", "server.key"}) {
                chownToPostgres(primary.resolve(file));
            }
            Files.setPosixFilePermissions(primary.resolve("server.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.writeString(primary.resolve("postgresql.conf"), "\nssl = on\n", java.nio.file.StandardOpenOption.APPEND);
            host = "hostssl";
        }
        Files.writeString(primary.resolve("postgresql.conf"), """

                listen_addresses = 'localhost'
                port = %d
                unix_socket_directories = '%s'
                wal_level = replica
                max_wal_senders = 4
                max_connections = 20
                shared_buffers = 16MB
                fsync = off
                """.formatted(primaryPort, directory), java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(primary.resolve("pg_hba.conf"), """
                local all all trust
                %1$s all all 127.0.0.1/32 trust
                %1$s all all ::1/128 trust
                %1$s replication all 127.0.0.1/32 trust
                """.formatted(host));
        startPrimary();
    }

    private void cloneStandby(int index) throws Exception {
        Path standby = standby(index);
        postgresTool("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres",
                "-D", standby.toString(), "-X", "stream", "-c", "fast", "-R", "--no-sync");
        // postgresql.auto.conf is read last: its port wins over the copied primary's.
        Files.writeString(standby.resolve("postgresql.auto.conf"), "port = " + standbyPorts[index] + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        pgCtlOn(standby.toString(), "-l", directory.resolve("standby" + index + ".log").toString(), "-w", "-t", "60", "start");
    }

    private Path standby(int index) {
        return directory.resolve("standby" + index);
    }

    /** Starts the primary (again): after {@link #crashPrimary()} it comes back still believing it is the primary. */
    void startPrimary() throws Exception {
        pgCtlOn(primary.toString(), "-l", directory.resolve("primary.log").toString(), "-w", "-t", "60", "start");
    }

    /** Stops the primary as a crash would: no shutdown checkpoint, nothing handed over. */
    void crashPrimary() throws Exception {
        pgCtlOn(primary.toString(), "-m", "immediate", "stop");
    }

    void promoteStandby(int index) throws Exception {
        pgCtlOn(standby(index).toString(), "-w", "promote");
    }

    @Override
    public void close() throws IOException {
        List<Path> servers = new ArrayList<>(List.of(primary));
        for (int i = 0; i < standbyPorts.length; i++) {
            servers.add(standby(i));
        }
        for (Path data : servers) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    pgCtlOn(data.toString(), "-m", "immediate", "stop");
                } catch (Exception e) {
                    // Already stopped; the directory goes anyway.
                }
            }
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void chownToPostgres(Path directory) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            Process chown = new ProcessBuilder("chown", "postgres:postgres", directory.toString()).inheritIO().start();
            if (chown.waitFor() != 0) {
                throw new IllegalStateException("chown postgres " + directory + " failed");
            }
        }
    }
}
