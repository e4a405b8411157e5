package dev.meridian.router.wire;

import java.util.Map;

/** The first thing a client sends: one of these. */
public sealed interface StartupPacket {

    int PROTOCOL_3_0 = 196_608;
    int SSL_REQUEST = 80_877_103;
    int GSSENC_REQUEST = 80_877_104;
    int CANCEL_REQUEST = 80_877_102;

    /** StartupMessage: protocol 3.0 and parameters (user, database, application_name, options…). */
    record Startup(int protocol, Map<String, String> parameters) implements StartupPacket {
        public String user() {
            return parameters.get("user");
        }

        /** PostgreSQL's default: the database named like the user. */
        public String database() {
            return parameters.getOrDefault("database", user());
        }
    }

    record SslRequest() implements StartupPacket {
    }

    record GssEncRequest() implements StartupPacket {
    }

    /** CancelRequest: the process id and secret key the router handed out in BackendKeyData. */
    record CancelRequest(int processId, int secretKey) implements StartupPacket {
    }
}
