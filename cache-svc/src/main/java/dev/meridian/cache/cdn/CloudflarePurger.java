package dev.meridian.cache.cdn;

import dev.meridian.cache.store.Purge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cloudflare's {@code POST /client/v4/zones/{zone}/purge_cache}: {@code files} (absolute URLs),
 * {@code prefixes} (host + path, no scheme) and {@code tags}, at most 30 items a request.
 */
public final class CloudflarePurger implements CdnPurger {

    private static final int PER_REQUEST = 30;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String zone;
    private final String token;
    private final String publicUrl;

    public CloudflarePurger(String baseUrl, String zone, String token, String publicUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.zone = zone;
        this.token = token;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    @Override
    public String name() {
        return "cloudflare";
    }

    @Override
    public String purge(Purge purge) throws IOException, InterruptedException {
        List<String> bodies = new ArrayList<>();
        List<String> files = purge.urls().stream().map(this::absolute).toList();
        String host = publicUrl.replaceFirst("^https?://", "");
        List<String> prefixes = purge.prefixes().stream().map(prefix -> host + prefix).toList();
        chunks(files).forEach(chunk -> bodies.add("{\"files\":" + JsonStrings.array(chunk) + "}"));
        chunks(prefixes).forEach(chunk -> bodies.add("{\"prefixes\":" + JsonStrings.array(chunk) + "}"));
        chunks(purge.tags()).forEach(chunk -> bodies.add("{\"tags\":" + JsonStrings.array(chunk) + "}"));
        for (String body : bodies) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/client/v4/zones/" + zone + "/purge_cache"))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2 || !response.body().contains("\"success\":true")) {
                throw new IOException("cloudflare answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
        }
        return "ok: " + bodies.size() + " request" + (bodies.size() == 1 ? "" : "s");
    }

    private String absolute(String url) {
        return url.startsWith("http://") || url.startsWith("https://") ? url : publicUrl + url;
    }

    private static List<List<String>> chunks(List<String> items) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += PER_REQUEST) {
            chunks.add(items.subList(i, Math.min(items.size(), i + PER_REQUEST)));
        }
        return chunks;
    }

    static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
