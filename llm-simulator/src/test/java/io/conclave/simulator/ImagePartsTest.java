package io.conclave.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Content-part arrays with images are accepted, and {@code /sim/stats} tells which images each call was shown. */
class ImagePartsTest {

    private static LlmSimulator sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(1).tokenMs(0).tokens(5).build());
        client = new SimClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void everyImagePartIsCountedByTheHashOfItsUrl() throws InterruptedException {
        String data = "data:image/png;base64,iVBORw0KGgo=";
        String https = "https://example.com/cat.jpg";
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + data + "\",\"detail\":\"high\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + https + "\"}}]}]}";

        HttpResponse<String> response = client.post("/v1/chat/completions", body);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode stats = client.awaitStats(s -> s.path("imageParts").asLong() == 2);
        assertEquals(2, stats.path("imageParts").asLong());
        JsonNode images = stats.path("recent").path(0).path("images");
        assertEquals(List.of(ChatRequest.sha256(data), ChatRequest.sha256(https)),
                List.of(images.path(0).asText(), images.path(1).asText()));
    }

    @Test
    void anImagePartWithoutAUrlIsRefused() {
        HttpResponse<String> response = client.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}");
        assertEquals(400, response.statusCode());
    }
}
