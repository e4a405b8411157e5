package dev.meridian.ratelimit.http;

import dev.meridian.ratelimit.RateLimitTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** POST /json (envoyproxy/ratelimit's form), /v1/check (nginx auth_request), /health/rate-limits and hot reload. */
@QuarkusTest
@QuarkusTestResource(RateLimitTestResource.class)
class HttpSurfacesTest {

    private static String json(String user) {
        return """
                {"domain": "test", "descriptors": [{"entries": [{"key": "user", "value": "%s"}]}]}
                """.formatted(user);
    }

    @Test
    void jsonEndpointAnswers200Then429() {
        String user = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            given().body(json(user)).post("/json").then().statusCode(200)
                    .body("overallCode", equalTo("OK"))
                    .body("statuses[0].limitRemaining", equalTo(4 - i));
        }
        given().body(json(user)).post("/json").then().statusCode(429)
                .body("overallCode", equalTo("OVER_LIMIT"))
                .body("statuses[0].currentLimit.unit", equalTo("HOUR"));
    }

    @Test
    void jsonEndpointRejectsGarbageWithAProblem() {
        given().body("{not json").post("/json").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("invalid RateLimitRequest JSON"));
        given().body("{\"domain\": \"test\", \"descriptors\": [], \"bogus\": 1}").post("/json").then().statusCode(400);
        given().body("{\"domain\": \"test\", \"descriptors\": []}").post("/json").then().statusCode(400)
                .body("detail", equalTo("rate limit descriptor list must not be empty"));
        given().body("").post("/json").then().statusCode(400);
    }

    @Test
    void nginxCheckUsesConfiguredHeadersAndAnyMethod() {
        String user = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            given().header("X-User", user).get("/v1/check").then().statusCode(204)
                    .header("RateLimit", startsWith("\"default\";r=" + (4 - i) + ";t="))
                    .header("X-RateLimit-Remaining", equalTo(Integer.toString(4 - i)));
        }
        given().header("X-User", user).post("/v1/check").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .header("X-RateLimit-Limit", equalTo("5, 5;w=3600"));
        given().header("X-User", UUID.randomUUID().toString()).header("X-RateLimit-Domain", "nobody")
                .get("/v1/check").then().statusCode(204).header("RateLimit", nullValue());
    }

    @Test
    void nginxCheckWithoutItsHeadersIsABadRequest() {
        given().get("/v1/check").then().statusCode(400).body(containsString("descriptor headers"));
    }

    @Test
    void healthShowsConfigStoreAndRules() {
        given().get("/health/rate-limits").then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("store", equalTo("redis"))
                .body("configVersion", notNullValue())
                .body("failureModes.strict", equalTo("deny"))
                .body("rules.rule", hasItem("test.user"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rate-limit-config' }.status", equalTo("UP"));
    }

    @Test
    void aChangedFileIsPickedUpAndABadOneIsRejectedKeepingTheLastGood() throws IOException {
        // when: a new domain appears
        Files.writeString(RateLimitTestResource.configDir.resolve("reload.yaml"), """
                domain: reload
                descriptors:
                  - key: user
                    rate_limit: {unit: minute, requests_per_unit: 1}
                """);
        String user = UUID.randomUUID().toString();
        String body = "{\"domain\": \"reload\", \"descriptors\": [{\"entries\": [{\"key\": \"user\", \"value\": \"" + user + "\"}]}]}";

        // then: it limits within a reload interval or two
        await().atMost(Duration.ofSeconds(5)).until(() -> given().body(body).post("/json").statusCode() == 429);

        // when: the file is broken
        Files.writeString(RateLimitTestResource.configDir.resolve("reload.yaml"), """
                domain: reload
                descriptors:
                  - key: user
                    rate_limit: {unit: fortnight, requests_per_unit: 1}
                """);

        // then: the error is reported with its position, and the last good config still limits
        await().atMost(Duration.ofSeconds(5)).until(() -> given().get("/health/rate-limits").jsonPath()
                .getString("lastLoadError") != null);
        given().get("/health/rate-limits").then()
                .body("lastLoadError", equalTo("reload.yaml:4:24: invalid rate limit unit 'fortnight'"));
        given().body(body).post("/json").then().statusCode(429);

        Files.delete(RateLimitTestResource.configDir.resolve("reload.yaml"));
        await().atMost(Duration.ofSeconds(5)).until(() -> given().get("/health/rate-limits").jsonPath()
                .getString("lastLoadError") == null);
    }
}
