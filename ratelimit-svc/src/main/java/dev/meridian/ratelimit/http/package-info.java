/**
 * HTTP: envoyproxy/ratelimit's {@code POST /json} and the nginx {@code auth_request} endpoint
 * {@code /v1/check}, both returning the rate-limit headers.
 */
package dev.meridian.ratelimit.http;
