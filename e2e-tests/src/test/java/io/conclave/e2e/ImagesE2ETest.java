package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.Headers;
import io.conclave.contracts.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Images (issue 3, point 4): a request with a 3 MB PNG and an https image is answered, every agent's model call is
 * shown both images, and the PNG's bytes are in Kafka once (the request record), not in the sub-tasks. Bad images
 * get a 400 naming the field, images over the limit a 413.
 */
class ImagesE2ETest extends SharedMeshTest {

    private static final String HTTPS_IMAGE = "https://example.com/images/cat.jpg";
    private static final int AGENTS = 3;
    private static final int SMALL_RECORD = 64 * 1024;

    ImagesE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void aLargeImageReachesEveryAgentAndTravelsOnceThroughKafka() throws Exception {
        byte[] png = randomPng(1000, 1000);
        assertTrue(png.length > 2_500_000, "the PNG has " + png.length + " bytes");
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);

        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions",
                body("conclave-contemplating", dataUrl, HTTPS_IMAGE).toString());

        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("complete", reply.body().at("/conclave/status").asText(), reply.body().toString());
        String correlationId = reply.header(Headers.CORRELATION_ID);

        List<JsonNode> withImages = new ArrayList<>();
        for (JsonNode call : simulator.calls()) {
            if (!call.path("images").isEmpty()) {
                withImages.add(call);
            }
        }
        assertEquals(AGENTS, withImages.size(), "each agent's call, and only those, shows the images: "
                + simulator.calls());
        for (JsonNode call : withImages) {
            assertEquals(List.of(sha256(dataUrl), sha256(HTTPS_IMAGE)),
                    List.of(call.path("images").path(0).asText(), call.path("images").path(1).asText()));
        }
        assertEquals(2L * AGENTS, simulator.stats().path("imageParts").asLong());

        List<Integer> requestRecords = recordSizes(Topics.REQUESTS, correlationId);
        assertEquals(1, requestRecords.size());
        assertTrue(requestRecords.get(0) > png.length, "the request record holds the image: " + requestRecords);
        List<Integer> subtasks = recordSizes(Topics.SUBTASKS, correlationId);
        assertEquals(AGENTS + 1, subtasks.size(), "agents and synthesis: " + subtasks);
        assertTrue(subtasks.stream().allMatch(size -> size < SMALL_RECORD), "sub-tasks carry no image: " + subtasks);
        List<Integer> joins = recordSizes(Topics.JOIN, correlationId);
        assertTrue(joins.stream().allMatch(size -> size < SMALL_RECORD), "the join carries no image: " + joins);
    }

    @Test
    void anInstantRequestWithAnHttpsImageIsAnswered() throws Exception {
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions",
                body("conclave-instant", HTTPS_IMAGE).toString());

        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(1, simulator.stats().path("imageParts").asLong());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad base64|data:image/png;base64,@@not-base64@@|not valid base64",
            "gif bytes declared png|GIF_AS_PNG|valid image/png",
            "unsupported type|data:image/bmp;base64,Qk0=|got 'image/bmp'",
            "plain http|http://example.com/cat.png|must be an https: URL or a data: URL",
            "file url|file:///etc/passwd|must be an https: URL or a data: URL"})
    void aBadImageIsA400NamingTheField(String name, String url, String message) throws Exception {
        if (url.equals("GIF_AS_PNG")) {
            url = "data:image/png;base64," + Base64.getEncoder().encodeToString(encoded(randomImage(16, 16), "gif"));
        }
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions",
                body("conclave-instant", url).toString());

        assertEquals(400, reply.status(), reply.body().toString());
        JsonNode error = reply.body().path("error");
        assertEquals("messages[0].content[1].image_url.url", error.path("param").asText(), error.toString());
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals("invalid_value", error.path("code").asText());
        assertTrue(error.path("message").asText().contains(message), error.toString());
    }

    @Test
    void anImageOverTheLimitIsA413() throws Exception {
        byte[] tooLarge = new byte[5 * 1024 * 1024 + 1];
        new Random(7).nextBytes(tooLarge);
        String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(tooLarge);

        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions",
                body("conclave-instant", url).toString());

        assertEquals(413, reply.status(), reply.body().toString());
        JsonNode error = reply.body().path("error");
        assertEquals("request_too_large", error.path("code").asText(), error.toString());
        assertEquals("messages[0].content[1].image_url.url", error.path("param").asText());
    }

    private static ObjectNode body(String model, String... imageUrls) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", model);
        ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", "What do these pictures show?");
        for (String url : imageUrls) {
            content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        }
        if (model.equals("conclave-contemplating")) {
            body.putObject("conclave").put("agents", AGENTS);
        }
        return body;
    }

    /** The sizes of the records of one request on a topic, read from the beginning with a consumer of no group. */
    private List<Integer> recordSizes(String topic, String correlationId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024);
        List<Integer> sizes = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(record.value(), StandardCharsets.UTF_8).contains(correlationId)) {
                        sizes.add(record.serializedValueSize());
                    }
                }
            }
        }
        return sizes;
    }

    private static byte[] randomPng(int width, int height) throws Exception {
        return encoded(randomImage(width, height), "png");
    }

    /** Random pixels, so that the image does not compress. */
    private static BufferedImage randomImage(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static byte[] encoded(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
