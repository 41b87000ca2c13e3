package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}), unchanged, against the gateway: completions,
 * streaming, models, an image part, and the error objects surfacing as the SDK's own exceptions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiSdkE2ETest extends SharedMeshTest {

    private final OpenAIClient client;

    OpenAiSdkE2ETest(Mesh mesh) {
        super(mesh);
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(mesh.gatewayUrl() + "/v1")
                .apiKey("sk-conclave-e2e")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(90))
                .build();
    }

    @AfterAll
    void closeClient() {
        client.close();
    }

    @Test
    void aCompletionCarriesTheAnswerAndTheConclaveObject() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("conclave-contemplating")
                .addUserMessage("What is 6 times 7?")
                .putAdditionalBodyProperty("conclave", JsonValue.from(Map.of("agents", 2)))
                .build());

        String content = completion.choices().get(0).message().content().orElseThrow();
        assertTrue(content.contains("Answer:"), content);
        assertEquals("conclave-contemplating", completion.model());
        JsonValue conclave = completion._additionalProperties().get("conclave");
        Map<?, ?> fields = conclave.convert(Map.class);
        assertEquals("contemplating", fields.get("mode"));
        assertEquals("complete", fields.get("status"));
        List<Object> agents = ((List<?>) fields.get("agents")).stream()
                .map(agent -> ((Map<?, ?>) agent).get("id")).map(Object.class::cast).toList();
        assertEquals(List.of("a1", "a2", "synthesis"), agents, fields.toString());
    }

    @Test
    void aStreamedAnswerArrivesWhileTheModelIsStillWriting() throws Exception {
        simulator.reset("{\"tokens\": 150, \"token_ms\": 20}");
        long firstContentAt = 0;
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("conclave-instant")
                        .addUserMessage("Why is the sky blue?").build())) {
            for (Iterator<ChatCompletionChunk> chunks = stream.stream().iterator(); chunks.hasNext(); ) {
                ChatCompletionChunk chunk = chunks.next();
                if (chunk.choices().isEmpty()) {
                    continue;
                }
                String delta = chunk.choices().get(0).delta().content().orElse("");
                if (!delta.isEmpty() && firstContentAt == 0) {
                    firstContentAt = System.currentTimeMillis();
                }
                text.append(delta);
            }
        }
        assertTrue(text.toString().contains("Answer:"), text.toString());
        List<JsonNode> calls = simulator.calls();
        assertEquals(1, calls.size(), calls.toString());
        long modelDoneAt = calls.get(0).path("endedAtMs").asLong();
        assertTrue(firstContentAt > 0 && firstContentAt < modelDoneAt - 1_000, "the first words arrived at "
                + firstContentAt + ", the model finished at " + modelDoneAt);
    }

    @Test
    void theModelsAreTheThreeConclaveModes() {
        List<String> ids = client.models().list().data().stream().map(Model::id).sorted().toList();
        assertEquals(List.of("conclave-contemplating", "conclave-instant", "conclave-thinking"), ids);
    }

    @Test
    void anImagePartBuiltWithTheSdkReachesTheModel() throws Exception {
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png());
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("conclave-instant")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("What colour is this square?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url(dataUrl)
                                        .detail(ChatCompletionContentPartImage.ImageUrl.Detail.LOW)
                                        .build())
                                .build())))
                .build());

        assertTrue(completion.choices().get(0).message().content().orElseThrow().contains("Answer:"));
        assertEquals(1, simulator.stats().path("imageParts").asLong());
    }

    @Test
    void errorObjectsSurfaceAsTheSdksExceptions() {
        NotFoundException notFound = assertThrows(NotFoundException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-unknown").addUserMessage("hi").build()));
        assertEquals(404, notFound.statusCode());
        assertEquals("model_not_found", notFound.code().orElseThrow());
        assertEquals("model", notFound.param().orElseThrow());
        assertEquals("invalid_request_error", notFound.type().orElseThrow());
        assertTrue(notFound.getMessage().contains("gpt-unknown"), notFound.getMessage());

        BadRequestException badRequest = assertThrows(BadRequestException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("conclave-instant").addUserMessage("hi")
                        .temperature(3.5).build()));
        assertEquals(400, badRequest.statusCode());
        assertEquals("temperature", badRequest.param().orElseThrow());
        assertEquals("invalid_value", badRequest.code().orElseThrow());
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, 0x3366cc);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
