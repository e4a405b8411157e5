package dev.meridian.router.it;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The local environment's PostgreSQL servers, reached directly (not through the router). */
final class LocalPostgres {

    static final int PRIMARY = 15432;
    static final int REPLICA_1 = 15433;
    static final int REPLICA_2 = 15434;
    static final int ROUTER = 16433;

    private LocalPostgres() {
    }

    /**
     * pgjdbc's driver used directly: Quarkus restarts the application in a fresh class loader per
     * test profile, where DriverManager may not see the driver registered by an earlier one.
     */
    static Connection connect(String url, String user, String password) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        if (user != null) {
            properties.setProperty("user", user);
            properties.setProperty("password", password);
        }
        Connection connection = new org.postgresql.Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        return connection;
    }

    static Connection superuser(int port) throws SQLException {
        return connect("jdbc:postgresql://127.0.0.1:" + port + "/meridian", "postgres", "postgres");
    }

    /** An empty table {@code name (note text)} on the primary that the router's clients (role meridian) may write. */
    static void freshNotesTable(String name) throws SQLException {
        try (Connection direct = superuser(PRIMARY); Statement statement = direct.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + name);
            statement.execute("CREATE TABLE " + name + " (note text)");
            statement.execute("GRANT ALL ON " + name + " TO meridian");
        }
    }

    static Connection viaRouter() throws SQLException {
        return viaRouter("");
    }

    static Connection viaRouter(String extra) throws SQLException {
        return connect("jdbc:postgresql://127.0.0.1:" + ROUTER + "/meridian?user=meridian&password=meridian" + extra, null, null);
    }

    static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Which server answered: its port. */
    static int serverPort(Connection connection) throws SQLException {
        return Integer.parseInt(scalar(connection, "select inet_server_port()"));
    }

    /** pg_ctl on one node, as the postgres user when we are root (PostgreSQL refuses to run as root). */
    static void pgCtl(int port, String... arguments) throws Exception {
        String dataDirectory;
        try (Connection connection = superuser(port)) {
            dataDirectory = scalar(connection, "show data_directory");
        }
        pgCtlOn(dataDirectory, arguments);
    }

    static void pgCtlOn(String dataDirectory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-D", dataDirectory));
        command.addAll(List.of(arguments));
        postgresTool("pg_ctl", command.toArray(String[]::new));
    }

    /** One of PostgreSQL's programs, as the postgres user when we are root; its output if it succeeds. */
    static String postgresTool(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add("/usr/lib/postgresql/15/bin/" + program);
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(program + " " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }
}
