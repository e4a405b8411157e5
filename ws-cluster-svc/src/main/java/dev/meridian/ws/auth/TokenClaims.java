package dev.meridian.ws.auth;

/**
 * What a verified token says.
 *
 * @param user      the {@code sub} claim ("" for none)
 * @param expiresAt {@code exp} in epoch seconds, 0 when the token never expires
 * @param info      the {@code info} claim as JSON text, or null
 * @param channel   the {@code channel} claim of a subscription token, or null
 */
public record TokenClaims(String user, long expiresAt, String info, String channel) {
}
