package io.conclave.aggregator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The service's wiring without a broker (the test profile points at a closed port): it boots,
 * starts its topology, reports itself alive but not ready, and exposes the join's metrics.
 * Delivery against a real broker is for e2e-tests.
 */
@QuarkusTest
class AggregatorApplicationTest {

    @Test
    void aliveButNotReadyWithoutABroker() {
        given().when().get("/q/health/live").then()
                .statusCode(200)
                .body("checks.name", hasItem("kafka-streams-join"));
        given().when().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'kafka-streams-join' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'kafka-streams-join' }.data.state", not(equalTo("RUNNING")));
    }

    @Test
    void joinMetricsArePublishedBeforeTheFirstRequest() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("conclave_join_outcomes_total{result=\"complete\"} 0.0"))
                .body(containsString("conclave_join_late_total"))
                .body(containsString("conclave_join_duplicates_total"));
    }
}
