package dev.meridian.cache.cdn;

import dev.meridian.cache.store.Purge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CloudFront's CreateInvalidation ({@code POST /2020-05-31/distribution/{id}/invalidation}),
 * signed with SigV4: URLs become paths, prefixes {@code /prefix*}. CloudFront has no tags: a
 * tag-only purge is skipped and says so.
 */
public final class CloudFrontPurger implements CdnPurger {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String distribution;
    private final String accessKey;
    private final String secretKey;
    private final String sessionToken;
    private final Clock clock;

    public CloudFrontPurger(String baseUrl, String distribution, String accessKey, String secretKey, String sessionToken, Clock clock) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.distribution = distribution;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.sessionToken = sessionToken;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "cloudfront";
    }

    @Override
    public String purge(Purge purge) throws IOException, InterruptedException {
        List<String> paths = new ArrayList<>();
        for (String url : purge.urls()) {
            String path = url.replaceFirst("^https?://[^/]+", "");
            paths.add(path.isEmpty() ? "/" : path);
        }
        purge.prefixes().forEach(prefix -> paths.add(prefix + "*"));
        if (paths.isEmpty()) {
            return "skipped: CloudFront cannot invalidate by tag";
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Paths><Quantity>")
                .append(paths.size()).append("</Quantity><Items>");
        for (String path : paths) {
            xml.append("<Path>").append(escape(path)).append("</Path>");
        }
        xml.append("</Items></Paths><CallerReference>meridian-").append(UUID.randomUUID()).append("</CallerReference></InvalidationBatch>");
        byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);

        URI uri = URI.create(baseUrl + "/2020-05-31/distribution/" + distribution + "/invalidation");
        String amzDate = AMZ_DATE.format(clock.instant());
        String payloadHash = AwsSigV4.sha256Hex(body);
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadHash);
        if (sessionToken != null && !sessionToken.isBlank()) {
            signed.put("x-amz-security-token", sessionToken);
        }
        String authorization = AwsSigV4.authorization("POST", uri.getRawPath(), "", signed, payloadHash, accessKey, secretKey,
                "us-east-1", "cloudfront", amzDate);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Authorization", authorization).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEach((name, value) -> {
            if (!name.equals("host")) {
                request.header(name, value);
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("cloudfront answered " + response.statusCode() + ": " + CloudflarePurger.abbreviate(response.body()));
        }
        return "ok: " + paths.size() + " path" + (paths.size() == 1 ? "" : "s");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
