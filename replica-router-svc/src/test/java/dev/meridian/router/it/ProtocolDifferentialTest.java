package dev.meridian.router.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.meridian.router.it.LocalPostgres.PRIMARY;
import static dev.meridian.router.it.LocalPostgres.ROUTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same frontend messages sent to the primary directly and through the router, over a fresh
 * session each, must get the same replies: message types in order, SQLSTATEs, command tags. The
 * router renames prepared statements, pools server connections between clients and answers some
 * messages itself; this is where a difference in what a client sees shows. Messages wait for
 * ReadyForQuery after each Sync and Query, as drivers send them.
 */
@QuarkusTest
class ProtocolDifferentialTest {

    private static final byte[] SYNC = message('S', new byte[0]);
    private static final byte[] FLUSH = message('H', new byte[0]);
    private static final String MARKER = "meridian end of case";
    /** How long the replies to a Flush are waited for; later ones are read at the next Sync instead. */
    private static final int FLUSH_SETTLE_MILLIS = 80;
    /**
     * Read through after a Query sent inside an unsynced batch, whose own ReadyForQuery may never come.
     * It ends any transaction first, so that it answers in a failed one too.
     */
    private static final byte[] MARKER_QUERY = query("rollback; select '" + MARKER + "'");

    @BeforeAll
    static void table() throws SQLException {
        LocalPostgres.freshNotesTable("router_differential");
    }

    /** What PostgreSQL does with prepared statements around an error, and the router did otherwise before. */
    @Test
    void preparedStatementsAfterAnErrorAreWhatPostgresLeaves() throws IOException {
        List<List<byte[]>> cases = List.of(
                // a named Parse that failed leaves no statement (the router re-parsed it on Bind: 42703)
                List.of(parse("s2", "select nosuchcol"), SYNC, bind("", "s2"), execute(""), SYNC),
                // a Parse skipped after an error leaves none either
                List.of(bind("", "nosuch"), parse("s3", "select 3"), SYNC, bind("", "s3"), execute(""), SYNC),
                // a Close skipped after an error leaves the statement open
                List.of(parse("s4", "select 4"), SYNC, bind("", "nosuch"), close("s4"), SYNC, bind("", "s4"), execute(""), SYNC),
                // a failed Parse of the unnamed statement drops the one before; a skipped one does not
                List.of(parse("", "select 5"), SYNC, parse("", "select nosuchcol"), SYNC, bind("", ""), execute(""), SYNC),
                List.of(parse("", "select 6"), SYNC, bind("", "nosuch"), parse("", "select 7"), SYNC, bind("", ""), execute(""), SYNC),
                // a simple Query drops the unnamed statement
                List.of(parse("", "select 8"), SYNC, query("select 9"), bind("", ""), execute(""), SYNC),
                // closed, then parsed again under the same name and failed: gone
                List.of(parse("s5", "select 10"), SYNC, close("s5"), parse("s5", "select nosuchcol"), SYNC, bind("", "s5"), execute(""), SYNC));
        for (List<byte[]> messages : cases) {
            List<String> direct = replies(PRIMARY, messages);
            assertTrue(direct.stream().anyMatch(r -> r.startsWith("E")), "each case has an error: " + direct);
            assertEquals(direct, replies(ROUTER, messages), describe(messages));
        }
    }

    /** PostgreSQL refuses a Parse of a name the client has open and keeps the statement; the router replaced it. */
    @Test
    void aParseOfAnOpenNameIsRefusedAndTheStatementKept() throws IOException {
        List<List<byte[]>> cases = List.of(
                List.of(parse("s1", "select 1"), SYNC, parse("s1", "select 2"), bind("", "s1"), execute(""), SYNC, bind("", "s1"), execute(""), SYNC),
                // in one batch with the Parse that opened it
                List.of(parse("s1", "select 1"), parse("s1", "select 1"), SYNC, bind("", "s1"), execute(""), SYNC),
                // the statement is analysed first: its own error comes before the name's
                List.of(parse("s1", "select 1"), SYNC, parse("s1", "select nosuchcol"), SYNC),
                List.of(parse("s1", "select 1"), SYNC, parse("s1", "selec"), SYNC),
                // in a transaction: the refusal aborts it
                List.of(query("begin"), parse("s1", "select 1"), SYNC, parse("s1", "select 2"), SYNC, query("select 3"), query("rollback")),
                // closed first: the name is free again
                List.of(parse("s1", "select 1"), SYNC, close("s1"), parse("s1", "select 2"), bind("", "s1"), execute(""), SYNC));
        for (List<byte[]> messages : cases) {
            List<String> direct = replies(PRIMARY, messages);
            assertEquals(direct, replies(ROUTER, messages), describe(messages));
        }
        assertEquals(openNameRefusal(PRIMARY), openNameRefusal(ROUTER), "the refusal names the client's statement");
    }

    private static String openNameRefusal(int port) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.login("meridian", "meridian");
            client.send(concat(parse("mine", "select 1"), parse("mine", "select 1"), SYNC));
            RawClient.Reply error = client.readUntilError();
            return error.field('C') + " " + error.field('M');
        }
    }

    /**
     * A simple Query or function call sent inside an extended batch before its Sync: PostgreSQL runs it
     * after the messages before it, or skips it if one of them failed; the router answered it alone.
     */
    @Test
    void aQueryInsideAnUnsyncedBatchRunsInItsPlace() throws IOException {
        List<List<byte[]>> cases = List.of(
                // an error before it: skipped up to the Sync
                List.of(parse("", "select nosuchcol"), query("select 1"), SYNC, MARKER_QUERY),
                List.of(bind("", "nosuch"), functionCall(2026), SYNC, MARKER_QUERY),
                // a good batch before it: its replies first, then the Query's
                List.of(parse("", "select 1"), bind("", ""), execute(""), query("select 2"), SYNC, MARKER_QUERY),
                List.of(parse("", "select 1"), bind("", ""), execute(""), functionCall(2026), SYNC, MARKER_QUERY),
                // between Parse and Bind: the named statement lives on, the unnamed one is dropped
                List.of(parse("s1", "select 1"), query("select 2"), bind("", "s1"), execute(""), SYNC, MARKER_QUERY),
                List.of(parse("", "select 1"), query("select 2"), bind("", ""), execute(""), SYNC, MARKER_QUERY),
                // the Query itself fails: what follows it still runs
                List.of(parse("s1", "select 1"), bind("", "s1"), execute(""), query("select 1/0"), bind("", "s1"), execute(""), SYNC, MARKER_QUERY),
                // a write inside a read batch goes where the batch goes
                List.of(parse("", "select 1"), bind("", ""), execute(""), query("insert into router_differential values ('q')"), SYNC, MARKER_QUERY));
        for (List<byte[]> messages : cases) {
            assertEquals(replies(PRIMARY, messages), replies(ROUTER, messages), describe(messages));
        }
    }

    /**
     * A batch the client flushed and read the replies of before sending the rest: after an error
     * the backend skips everything up to Sync, what the router sends then too (it expected replies
     * to them); a write after a read flushed on a replica runs on the primary (it failed there, 25006).
     */
    @Test
    void theRestOfAFlushedBatchIsSkippedAfterAnErrorAndAWriteInItRuns() throws IOException {
        String insert = "insert into router_differential values ('flushed')";
        List<List<byte[]>> cases = List.of(
                // the error came back before the rest was sent
                List.of(parse("", "select nosuchcol"), FLUSH, bind("", ""), execute(""), SYNC, query("select 1")),
                List.of(bind("", "nosuch"), FLUSH, parse("s1", "select 1"), bind("", "s1"), execute(""), SYNC, bind("", "s1"), execute(""), SYNC),
                List.of(parse("s1", "select 1"), SYNC, bind("", "nosuch"), FLUSH, close("s1"), SYNC, bind("", "s1"), execute(""), SYNC),
                List.of(parse("", "select 1/0"), bind("", ""), execute(""), FLUSH, parse("", insert), bind("", ""), execute(""), SYNC),
                List.of(parse("", "select 1/0"), bind("", ""), execute(""), FLUSH, query(insert), SYNC, MARKER_QUERY),
                // a read answered, then a write before the Sync
                List.of(parse("", "select 1"), bind("", ""), execute(""), FLUSH, parse("", insert), bind("", ""), execute(""), SYNC,
                        query("select 2")),
                List.of(parse("r", "select 1"), bind("", "r"), execute(""), FLUSH, parse("w", insert), bind("", "w"), execute(""), SYNC,
                        bind("", "r"), execute(""), bind("", "w"), execute(""), SYNC),
                List.of(parse("", "select 1"), bind("", ""), execute(""), FLUSH, query(insert), SYNC, MARKER_QUERY),
                List.of(parse("", "select 1"), bind("", ""), execute(""), FLUSH, parse("", insert), bind("", ""), execute(""),
                        parse("", "select 1/0"), bind("", ""), execute(""), SYNC, query("select 2")),
                // in a read-only transaction the write is refused, as it is directly
                List.of(query("begin read only"), parse("", "select 1"), bind("", ""), execute(""), FLUSH, parse("", insert), bind("", ""),
                        execute(""), SYNC, query("rollback")));
        for (List<byte[]> messages : cases) {
            assertEquals(replies(PRIMARY, messages), replies(ROUTER, messages), describe(messages));
        }
    }

    /** Seeded random sequences of well-formed messages: the router answers each as the primary does. */
    @Test
    void randomMessageSequencesGetTheRepliesThePrimaryGives() throws IOException {
        assertRandomSequencesAnsweredAlike(20261202, ProtocolDifferentialTest::replies);
    }

    /**
     * Sent at once: a Bind or Describe of a statement whose Parse fails meanwhile, going to another
     * backend (a write with it moves it to the primary), finds what PostgreSQL leaves; the router
     * parsed the failed statement again there (42703 instead of 26000) or bound the wrong one.
     */
    @Test
    void messagesSentBehindAFailingParseFindWhatPostgresLeaves() throws IOException {
        byte[] write = query("insert into router_differential values ('behind')");
        List<List<byte[]>> cases = List.of(
                List.of(parse("s1", "select nosuchcol"), SYNC, describe('S', "s1"), write, SYNC),
                List.of(parse("s1", "select nosuchcol"), SYNC, bind("", "s1"), execute(""), write, SYNC),
                List.of(parse("", "select nosuchcol"), SYNC, bind("", ""), execute(""), write, SYNC),
                // a skipped Parse of the unnamed statement leaves the one before it
                List.of(parse("", "select 1"), SYNC, bind("", "nosuch"), parse("", "select 2"), SYNC, bind("", ""), execute(""), write, SYNC));
        for (List<byte[]> messages : cases) {
            assertEquals(pipelinedReplies(PRIMARY, messages), pipelinedReplies(ROUTER, messages), describe(messages));
        }
    }

    /**
     * The same, each sequence sent in one write without waiting for any reply, as a pipelining
     * driver sends: the router decides about later messages before the earlier ones are answered.
     */
    @Test
    void randomMessageSequencesSentAtOnceGetTheRepliesThePrimaryGives() throws IOException {
        assertRandomSequencesAnsweredAlike(20261203, ProtocolDifferentialTest::pipelinedReplies);
    }

    /** How one session sends messages to a port and reads the replies. */
    private interface Session {
        List<String> replies(int port, List<byte[]> messages) throws IOException;
    }

    private static void assertRandomSequencesAnsweredAlike(long seed, Session session) throws IOException {
        Random random = new Random(seed);
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (int round = 0; round < 150; round++) {
            List<byte[]> messages = randomSequence(random);
            List<String> direct = session.replies(PRIMARY, messages);
            compared++;
            List<String> routed = session.replies(ROUTER, messages);
            if (!direct.equals(routed)) {
                differences.add(describe(messages) + "\n  primary " + direct + "\n  router  " + routed);
            }
        }
        assertTrue(compared >= 100, "too few sequences compared: " + compared);
        assertEquals(List.of(), differences.subList(0, Math.min(5, differences.size())), differences.size() + " of " + compared + " differ");
    }

    private static final String[] SQL = {
        "select 1", "select 1/0", "begin", "begin read only", "commit", "rollback", "savepoint a", "release a",
        "select $1::int", "select 1; select 2", "values (1), (2)", "", "select nosuchcol", "show extra_float_digits",
        "set extra_float_digits = 2", "reset extra_float_digits", "insert into router_differential values ('x')",
        "select count(*) from pg_class where relname = 'router_differential'", "select 'unterminated",
    };

    private static List<byte[]> randomSequence(Random random) {
        List<byte[]> messages = new ArrayList<>();
        boolean unsynced = false;
        int length = 1 + random.nextInt(10);
        for (int i = 0; i < length; i++) {
            char kind = "QQQPBDECSSH".charAt(random.nextInt(11));
            String statement = pick(random, "", "s1", "s2");
            String portal = pick(random, "", "", "p1");
            String sql = SQL[random.nextInt(SQL.length)];
            if (kind == 'Q' && unsynced) {
                // Run or skipped with the batch; whether it answers ReadyForQuery depends on that.
                messages.add(query(sql));
                messages.add(SYNC);
                messages.add(MARKER_QUERY);
                unsynced = false;
                continue;
            }
            unsynced = kind != 'Q' && kind != 'S';
            switch (kind) {
                case 'Q' -> messages.add(query(sql));
                case 'P' -> messages.add(parse(statement, sql));
                case 'B' -> messages.add(random.nextInt(3) == 0 ? bindWithParameter(portal, statement, "7") : bind(portal, statement));
                case 'D' -> messages.add(random.nextBoolean() ? describe('S', statement) : describe('P', portal));
                case 'E' -> messages.add(execute(portal));
                case 'C' -> messages.add(random.nextBoolean() ? close(statement) : closePortal(portal));
                case 'S' -> messages.add(SYNC);
                default -> messages.add(FLUSH);
            }
        }
        messages.add(SYNC);
        messages.add(query("rollback"));
        return messages;
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /**
     * Sends the messages over a new session, reading up to ReadyForQuery after each Sync and Query:
     * every reply but ParameterStatus, notices and notifications, as its type, "E" and the SQLSTATE,
     * or "C" and the command tag's first word. After a Query or function call inside an unsynced
     * batch it reads nothing until the marker query, then up to the marker's ReadyForQuery.
     */
    private static List<String> replies(int port, List<byte[]> messages) throws IOException {
        List<String> replies = new ArrayList<>();
        try (RawClient client = new RawClient(port)) {
            client.login("meridian", "meridian");
            boolean unsynced = false;
            boolean untilMarker = false;
            for (byte[] message : messages) {
                client.send(message);
                boolean marker = message == MARKER_QUERY;
                boolean answersReady = message[0] == 'S' || message[0] == 'Q' || message[0] == 'F';
                if (answersReady && message[0] != 'S' && unsynced) {
                    untilMarker = true;
                }
                unsynced = message[0] == 'S' ? false : unsynced || !answersReady;
                if (message[0] == 'H' && !untilMarker) {
                    // What the Flush made the backend send, read before the next message goes out, as a
                    // pipelining driver that waits for a result does.
                    RawClient.Reply flushed;
                    while ((flushed = client.readWithin(FLUSH_SETTLE_MILLIS)) != null) {
                        record(replies, flushed);
                    }
                }
                if (!answersReady || untilMarker && !marker) {
                    continue;
                }
                boolean markerSeen = !marker;
                RawClient.Reply reply;
                do {
                    reply = client.read();
                    if (reply.type() == 'D' && new String(reply.body(), StandardCharsets.UTF_8).contains(MARKER)) {
                        markerSeen = true;
                    }
                    record(replies, reply);
                } while (reply.type() != 'Z' || !markerSeen);
                untilMarker = false;
            }
        }
        return replies;
    }

    /** Sends the messages and the marker query in one write, then reads every reply up to the marker's ReadyForQuery. */
    private static List<String> pipelinedReplies(int port, List<byte[]> messages) throws IOException {
        List<String> replies = new ArrayList<>();
        try (RawClient client = new RawClient(port)) {
            client.login("meridian", "meridian");
            List<byte[]> all = new ArrayList<>(messages);
            all.add(MARKER_QUERY);
            client.send(concat(all.toArray(new byte[0][])));
            long markers = all.stream().filter(m -> m == MARKER_QUERY).count();
            boolean markerSeen = false;
            RawClient.Reply reply;
            do {
                reply = client.readWithin(3_000);
                if (reply == null) {
                    replies.add("no reply for 3 s");
                    break;
                }
                if (reply.type() == 'D' && new String(reply.body(), StandardCharsets.UTF_8).contains(MARKER)) {
                    markerSeen = --markers == 0;
                }
                record(replies, reply);
            } while (reply.type() != 'Z' || !markerSeen);
        }
        return replies;
    }

    private static void record(List<String> replies, RawClient.Reply reply) {
        switch (reply.type()) {
            case 'S', 'N', 'A' -> {
            }
            case 'E' -> replies.add("E" + reply.field('C'));
            case 'C' -> replies.add("C" + new String(reply.body(), StandardCharsets.UTF_8).split("[ \0]")[0]);
            case 'Z' -> replies.add("Z" + (char) reply.body()[0]);
            default -> replies.add(String.valueOf(reply.type()));
        }
    }

    private static String describe(List<byte[]> messages) {
        StringBuilder text = new StringBuilder();
        for (byte[] message : messages) {
            String body = new String(message, 5, message.length - 5, StandardCharsets.UTF_8).replace('\0', '|');
            text.append(' ').append((char) message[0]).append('[').append(body, 0, Math.min(40, body.length())).append(']');
        }
        return text.toString().trim();
    }

    private static byte[] query(String sql) {
        return message('Q', cString(sql));
    }

    /** A fastpath call of a function without arguments, result in text. */
    private static byte[] functionCall(int functionOid) {
        return message('F', ByteBuffer.allocate(4 + 2 + 2 + 2).putInt(functionOid).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).array());
    }

    private static byte[] parse(String name, String sql) {
        return message('P', concat(cString(name), cString(sql), new byte[] {0, 0}));
    }

    /** Bind without parameters, all results in text. */
    private static byte[] bind(String portal, String statement) {
        return message('B', concat(cString(portal), cString(statement), new byte[] {0, 0, 0, 0, 0, 0}));
    }

    private static byte[] bindWithParameter(String portal, String statement, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        byte[] parameters = ByteBuffer.allocate(2 + 2 + 4 + text.length + 2).putShort((short) 0).putShort((short) 1)
                .putInt(text.length).put(text).putShort((short) 0).array();
        return message('B', concat(cString(portal), cString(statement), parameters));
    }

    private static byte[] describe(char kind, String name) {
        return message('D', concat(new byte[] {(byte) kind}, cString(name)));
    }

    private static byte[] execute(String portal) {
        return message('E', concat(cString(portal), new byte[] {0, 0, 0, 0}));
    }

    private static byte[] close(String statement) {
        return message('C', concat(new byte[] {'S'}, cString(statement)));
    }

    private static byte[] closePortal(String portal) {
        return message('C', concat(new byte[] {'P'}, cString(portal)));
    }

    private static byte[] cString(String value) {
        return (value + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }
}
