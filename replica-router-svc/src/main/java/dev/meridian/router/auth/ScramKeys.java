package dev.meridian.router.auth;

/** ClientKey and ServerKey of a SCRAM verifier, with the salt and iteration count they belong to. */
public record ScramKeys(byte[] clientKey, byte[] serverKey, byte[] salt, int iterations) {
}
