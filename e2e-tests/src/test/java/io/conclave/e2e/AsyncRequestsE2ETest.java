package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.contracts.Topics;
import io.conclave.kafka.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Async requests by correlation ID, cancellation, and tenants on real processes. A second gateway is started
 * after the first requests finished, with API keys configured as the Kubernetes Secret mounts them (a file per
 * tenant holding the key's SHA-256): it must serve those results from its replay of conclave.results, to their
 * own tenant only, and apply its tenants' limits.
 */
class AsyncRequestsE2ETest extends SharedMeshTest {

    /** The anonymous tenant of the mesh's gateway; the second gateway gives it a key. */
    private static final String LOCAL_KEY = "sk-test-local";
    private static final String OTHER_KEY = "sk-test-other";
    private static final String INSTANT = "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What is the capital of France?\"}]}";

    private static ManagedProcess secondGateway;
    private static String secondUrl;

    AsyncRequestsE2ETest(Mesh mesh) {
        super(mesh);
    }

    @AfterAll
    static void stopSecondGateway() throws Exception {
        if (secondGateway != null) {
            secondGateway.close();
        }
    }

    @Test
    void aFinishedRequestIsReadableFromAReplicaStartedAfterwardsByItsTenantOnly() throws Exception {
        ApiHttp.Reply accepted = ApiHttp.post(mesh.gatewayUrl() + "/v1/requests", null, INSTANT);
        assertEquals(202, accepted.status(), accepted.text());
        String id = accepted.body().path("id").asText();
        assertEquals("/v1/requests/" + id, accepted.header("Location"));

        List<String> events = eventNames(SseLines.get(mesh.gatewayUrl() + "/v1/requests/" + id + "/events"));
        assertEquals("result", events.get(events.size() - 1), events.toString());
        JsonNode finished = awaitStatus(mesh.gatewayUrl(), null, id, "complete");
        assertTrue(finished.at("/result/choices/0/message/content").asText().contains("Answer:"), finished.toString());
        assertEquals(1, finished.path("agents").size(), finished.toString());

        String second = secondGateway();
        // Ready means its channels run; the replay of the last hour of results follows within moments.
        JsonNode replayed = awaitStatus(second, LOCAL_KEY, id, "complete");
        assertEquals(finished.at("/result/choices/0/message/content"), replayed.at("/result/choices/0/message/content"));

        ApiHttp.Reply otherTenant = ApiHttp.get(second + "/v1/requests/" + id, OTHER_KEY);
        assertEquals(404, otherTenant.status(), otherTenant.text());
        assertEquals("request_not_found", otherTenant.body().at("/error/code").asText());
        assertEquals(404, ApiHttp.delete(second + "/v1/requests/" + id, OTHER_KEY).status());
        ApiHttp.Reply noKey = ApiHttp.get(second + "/v1/requests/" + id, null);
        assertEquals(401, noKey.status());
        assertEquals("missing_api_key", noKey.body().at("/error/code").asText());
        ApiHttp.Reply badKey = ApiHttp.post(second + "/v1/chat/completions", "sk-wrong", INSTANT);
        assertEquals(401, badKey.status());
        assertEquals("invalid_api_key", badKey.body().at("/error/code").asText());
    }

    @Test
    void aCancelledRequestEndsCancelledEverywhereAndItsWorkersAreTold() throws Exception {
        simulator.reset("{\"ttft_ms\": 8000}");
        ApiHttp.Reply accepted = ApiHttp.post(mesh.gatewayUrl() + "/v1/requests", null,
                "{\"model\":\"conclave-contemplating\",\"messages\":[{\"role\":\"user\",\"content\":\"Think long\"}]}");
        assertEquals(202, accepted.status(), accepted.text());
        String id = accepted.body().path("id").asText();
        awaitStatus(mesh.gatewayUrl(), null, id, "running");

        ApiHttp.Reply cancelled = ApiHttp.delete(mesh.gatewayUrl() + "/v1/requests/" + id, null);
        assertEquals(200, cancelled.status(), cancelled.text());
        JsonNode state = awaitStatus(mesh.gatewayUrl(), null, id, "cancelled");
        assertEquals("cancelled", state.at("/result/conclave/status").asText(), state.toString());
        assertEquals("request_cancelled", state.at("/result/error/type").asText(), state.toString());
        ApiHttp.Reply again = ApiHttp.delete(mesh.gatewayUrl() + "/v1/requests/" + id, null);
        assertEquals(409, again.status(), again.text());
        assertTrue(TopicRecords.countByKey(mesh.bootstrapServers(), Topics.CONTROL).containsKey(id),
                "a RequestCancelled for " + id + " is on conclave.control");
    }

    @Test
    void aTenantOverItsLimitsGets429WithRetryAfter() throws Exception {
        String second = secondGateway();
        ApiHttp.Reply tooManyAgents = ApiHttp.post(second + "/v1/requests", OTHER_KEY,
                "{\"model\":\"conclave-contemplating\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"conclave\":{\"agents\":3}}");
        assertEquals(429, tooManyAgents.status(), tooManyAgents.text());
        assertEquals("agents_limit_exceeded", tooManyAgents.body().at("/error/code").asText());
        assertNotNull(tooManyAgents.header("Retry-After"));

        List<Integer> statuses = new ArrayList<>();
        ApiHttp.Reply last = null;
        for (int i = 0; i < 4; i++) {
            last = ApiHttp.post(second + "/v1/requests", OTHER_KEY, INSTANT);
            statuses.add(last.status());
        }
        assertEquals(List.of(202, 202, 202, 429), statuses, "3 requests per minute, then 429: " + last.text());
        assertEquals("rate_limit_exceeded", last.body().at("/error/code").asText());
        assertTrue(Integer.parseInt(last.header("Retry-After")) >= 1, last.header("Retry-After"));
    }

    private List<String> eventNames(SseLines.Stream stream) {
        assertEquals(200, stream.status());
        return stream.lines().stream().map(SseLines.Line::text).filter(line -> line.startsWith("event:"))
                .map(line -> line.substring("event:".length()).strip()).toList();
    }

    private static JsonNode awaitStatus(String gateway, String key, String id, String status) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ApiHttp.Reply reply = null;
        while (System.nanoTime() < end) {
            reply = ApiHttp.get(gateway + "/v1/requests/" + id, key);
            if (reply.status() == 200 && status.equals(reply.body().path("status").asText())) {
                return reply.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("request " + id + " never reached " + status + ": " + (reply == null ? null
                : reply.text()));
    }

    /** Starts a second gateway on the mesh's broker once, with two tenants' key hashes and tight limits. */
    private synchronized String secondGateway() throws Exception {
        if (secondGateway != null) {
            return secondUrl;
        }
        Path keys = Files.createTempDirectory("conclave-tenants");
        Files.writeString(keys.resolve("local"), sha256(LOCAL_KEY) + "\n");
        Files.writeString(keys.resolve("other"), sha256(OTHER_KEY));
        int port = LoopbackPorts.pickFree();
        secondUrl = "http://127.0.0.1:" + port;
        Path root = Path.of(System.getProperty("conclave.root", "..")).toAbsolutePath().normalize();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        secondGateway = new ManagedProcess("gateway-service-replay",
                List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                        root.resolve("gateway-service/target/quarkus-app/quarkus-run.jar").toString()),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", mesh.bootstrapServers(),
                        "QUARKUS_HTTP_PORT", String.valueOf(port),
                        "CONCLAVE_GATEWAY_AUTH_ANONYMOUS", "false",
                        "CONCLAVE_GATEWAY_AUTH_KEYS_DIR", keys.toString(),
                        "CONCLAVE_GATEWAY_LIMITS_REQUESTS_PER_MINUTE", "3",
                        "CONCLAVE_GATEWAY_LIMITS_AGENTS", "2"),
                Files.createTempDirectory(root.resolve("e2e-tests/target"), "replay-"),
                secondUrl + "/q/health/ready").start();
        secondGateway.awaitReady(Duration.ofSeconds(120));
        return secondUrl;
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
