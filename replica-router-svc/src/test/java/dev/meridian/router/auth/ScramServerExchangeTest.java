package dev.meridian.router.auth;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7677 section 3's example exchange, then the ways a client can get it wrong. */
class ScramServerExchangeTest {

    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final ScramSecret PENCIL = ScramSecret.fromPassword("pencil",
            Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

    private ScramServerExchange exchange() {
        return new ScramServerExchange("user", PENCIL, SERVER_NONCE);
    }

    @Test
    void theRfc7677ExampleAuthenticates() {
        ScramServerExchange exchange = exchange();
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                exchange.clientFirst("n,,n=user,r=" + CLIENT_NONCE));
        String serverFinal = exchange.clientFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", serverFinal);
    }

    @Test
    void postgresSecretTextRoundTrips() {
        ScramSecret parsed = ScramSecret.parse(PENCIL.toText());
        assertEquals(4096, parsed.iterations());
        assertTrue(java.util.Arrays.equals(PENCIL.storedKey(), parsed.storedKey()));
        assertThrows(IllegalArgumentException.class, () -> ScramSecret.parse("md5abc"));
        assertThrows(IllegalArgumentException.class, () -> ScramSecret.parse("SCRAM-SHA-256$x"));
    }

    @Test
    void aWrongPasswordFailsWithPostgresWords() {
        ScramServerExchange exchange = exchange();
        exchange.clientFirst("n,,n=user,r=" + CLIENT_NONCE);
        AuthenticationFailedException failed = assertThrows(AuthenticationFailedException.class, () -> exchange.clientFinal(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        assertEquals("password authentication failed for user \"user\"", failed.clientMessage());
    }

    @Test
    void protocolAbusesFail() {
        assertThrows(AuthenticationFailedException.class, () -> exchange().clientFinal("c=biws,r=x,p=AAAA"), "out of order");
        assertThrows(AuthenticationFailedException.class, () -> exchange().clientFirst("p=tls-server-end-point,,n=user,r=abc"),
                "channel binding not offered");
        assertThrows(AuthenticationFailedException.class, () -> exchange().clientFirst("n,,garbage"));
        ScramServerExchange nonce = exchange();
        nonce.clientFirst("n,,n=user,r=" + CLIENT_NONCE);
        assertThrows(AuthenticationFailedException.class, () -> nonce.clientFinal("c=biws,r=someoneelse,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        ScramServerExchange binding = exchange();
        binding.clientFirst("n,,n=user,r=" + CLIENT_NONCE);
        assertThrows(AuthenticationFailedException.class, () -> binding.clientFinal(
                "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        ScramServerExchange twice = exchange();
        twice.clientFirst("n,,n=user,r=" + CLIENT_NONCE);
        twice.clientFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThrows(AuthenticationFailedException.class, () -> twice.clientFinal("c=biws,r=x,p=AAAA"), "no replay");
    }

    @Test
    void md5MatchesPostgresql() {
        // md5 secret of user "meridian", password "meridian", as PostgreSQL stores it with password_encryption=md5
        String secret = Md5Password.secret("meridian", "meridian");
        assertEquals(35, secret.length());
        byte[] salt = {1, 2, 3, 4};
        // what libpq sends: "md5" + md5(hex(md5(password + user)) + salt)
        String response = "md5" + java.util.HexFormat.of().formatHex(md5((secret.substring(3) + "\u0001\u0002\u0003\u0004").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertTrue(Md5Password.verify(secret, salt, response));
        assertTrue(!Md5Password.verify(secret, new byte[] {9, 9, 9, 9}, response));
        assertTrue(!Md5Password.verify("SCRAM-SHA-256$...", salt, response));
    }

    private static byte[] md5(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
