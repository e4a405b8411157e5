package dev.meridian.glb;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config file is re-read when it changes; a bad one is rejected and the last good one keeps serving. */
@QuarkusTest
@QuarkusTestResource(GlbTestResource.class)
class ConfigReloadTest {

    @Test
    void aNewNameIsServedAndABrokenFileIsRejected() throws Exception {
        String original = Files.readString(GlbTestResource.configFile);
        try {
            // when: a name is added
            Files.writeString(GlbTestResource.configFile, original + "  - {name: added.glb.test., policy: failover}\n");

            // then: it is answered within a reload period or two
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200)).until(() ->
                    GeoDnsDigTest.answers("added.glb.test", "A", "+tcp").size() == 60);

            // when: the file is broken
            Files.writeString(GlbTestResource.configFile, original.replace("latitude: 51.51", "latitude: 951.51"));

            // then: the error is reported, and the last good config (with the added name) still answers
            await().atMost(Duration.ofSeconds(8)).until(() -> given().get("/health/global-lb").jsonPath()
                    .getString("lastConfigError") != null);
            given().get("/health/global-lb").then()
                    .body("lastConfigError", startsWith(GlbTestResource.configFile + ": regions[0].latitude: must be a number"));
            assertEquals(60, GeoDnsDigTest.answers("added.glb.test", "A", "+tcp").size());
        } finally {
            Files.writeString(GlbTestResource.configFile, original);
        }
        await().atMost(Duration.ofSeconds(8)).until(() -> GeoDnsDigTest.dig("added.glb.test", "A").contains("NXDOMAIN"));
        given().get("/health/global-lb").then().body("lastConfigError", nullValue());
        assertTrue(GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=203.0.113.0/24").contains("10.30.0.1"));
    }
}
