package dev.meridian.router.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate and key (PEM) for localhost, made once per test JVM with openssl. */
final class TestCertificate {

    private static Path[] made;

    private TestCertificate() {
    }

    static synchronized Path[] create() {
        if (made != null) {
            return made;
        }
        try {
            Path directory = Files.createTempDirectory("meridian-router-tls");
            Path certificate = directory.resolve("router.crt");
            Path key = directory.resolve("router.key");
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", certificate.toString())
                    .redirectErrorStream(true).start();
            String output = new String(openssl.getInputStream().readAllBytes());
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + output);
            }
            made = new Path[] {certificate, key};
            return made;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
