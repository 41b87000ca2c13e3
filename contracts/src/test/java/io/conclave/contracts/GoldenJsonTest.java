package io.conclave.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Each event read from its golden file and written back gives the same JSON, so a change to a
 * record that breaks the wire format fails here and not between two deployed services.
 */
class GoldenJsonTest {

    /** Configured as Quarkus configures its ObjectMapper, which the services use on the wire. */
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest
    @ValueSource(strings = {"RequestSubmitted", "SubtaskAssigned", "RequestCompleted", "ProgressUpdated",
            "RequestCancelled", "RequestSubmittedWithImages", "SubtaskAssignedWithImages"})
    void topLevelEventsRoundTrip(String name) throws Exception {
        Class<?> type = Class.forName("io.conclave.contracts." + name.replace("WithImages", ""));
        JsonNode golden = golden(name);
        Object event = mapper.treeToValue(golden, type);
        assertEquals(golden, written(event), name + " changed its wire format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PlanCreated", "SubtaskCompleted", "SubtaskFailed"})
    void joinEventsRoundTripThroughTheirCommonType(String name) throws Exception {
        JsonNode golden = golden(name);
        JoinEvent event = mapper.treeToValue(golden, JoinEvent.class);
        assertEquals(name, event.getClass().getSimpleName());
        assertEquals(golden, written(event), name + " changed its wire format");
    }

    @Test
    void goldenFieldsLandInTheRightComponents() throws Exception {
        PlanCreated plan = (PlanCreated) mapper.treeToValue(golden("PlanCreated"), JoinEvent.class);
        assertEquals(Mode.CONTEMPLATING, plan.mode());
        assertEquals(Strategy.DECOMPOSE, plan.strategy());
        assertEquals(2, plan.subQuestions().size());
        assertEquals(2, plan.planning().calls());
        assertEquals(List.of("solver", "skeptic"), plan.agents().stream().map(AgentSpec::role).toList());
        assertEquals(Instant.parse("2026-11-22T10:00:45Z"), plan.agentsDeadline());
        assertEquals("c-1.synthesis", plan.synthesis().subtaskId());
        assertEquals(Boolean.TRUE, plan.watched());

        RequestCompleted result = mapper.treeToValue(golden("RequestCompleted"), RequestCompleted.class);
        assertEquals(RequestStatus.PARTIAL, result.status());
        assertEquals(AgentStatus.LATE, result.agents().get(1).status());
        assertEquals(188, result.usage().totalTokens());
        assertEquals(55, result.compression().savedTokens());

        RequestSubmitted request = mapper.treeToValue(golden("RequestSubmitted"), RequestSubmitted.class);
        assertEquals("skeptic", request.agentChoices().get(1).role());
    }

    @Test
    void aTextOnlyMessageKeepsItsPlainShape() throws Exception {
        JsonNode json = mapper.valueToTree(new ChatMessage("user", "hi"));
        assertEquals(mapper.readTree("{\"role\":\"user\",\"content\":\"hi\"}"), json);
    }

    @Test
    void imagePartsAndTheirReferenceLandInTheRightComponents() throws Exception {
        RequestSubmitted request = mapper.treeToValue(golden("RequestSubmittedWithImages"), RequestSubmitted.class);
        List<ContentPart> parts = request.messages().get(0).parts();
        assertEquals(List.of(ContentPart.TEXT, ContentPart.IMAGE_URL, ContentPart.IMAGE_URL),
                parts.stream().map(ContentPart::type).toList());
        assertEquals("data:image/png;base64,iVBORw0KGgo=", parts.get(1).imageUrl());
        assertEquals("high", parts.get(1).detail());
        assertEquals("What is in these pictures?", request.messages().get(0).content());

        SubtaskAssigned subtask = mapper.treeToValue(golden("SubtaskAssignedWithImages"), SubtaskAssigned.class);
        ContentPart ref = subtask.messages().get(0).parts().get(1);
        assertEquals(ContentPart.IMAGE_REF, ref.type());
        assertEquals(0, ref.imageRef());
        assertEquals(null, ref.imageUrl());
        assertEquals(new RecordPosition(Topics.REQUESTS, 3, 17), subtask.imagesAt());

        SubtaskAssigned plain = mapper.treeToValue(golden("SubtaskAssigned"), SubtaskAssigned.class);
        assertEquals(null, plain.imagesAt());
        assertEquals(null, plain.messages().get(0).parts());
    }

    @Test
    void unknownFieldsFromANewerSchemaAreIgnored() throws Exception {
        String newer = "{\"correlationId\":\"c\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-22T10:00:00Z\","
                + "\"schemaVersion\":2,\"reason\":\"x\",\"addedLater\":true}";
        RequestCancelled event = mapper.readValue(newer, RequestCancelled.class);
        assertEquals(2, event.schemaVersion());
    }

    @Test
    void everyEventWrittenByThisCodeCarriesTheCommonFields() throws Exception {
        ConclaveEvent event = new RequestCancelled("c", "e", Instant.EPOCH, ConclaveEvent.SCHEMA_VERSION, "x");
        JsonNode json = mapper.valueToTree(event);
        for (String field : List.of("correlationId", "eventId", "occurredAt", "schemaVersion")) {
            assertInstanceOf(JsonNode.class, json.get(field), field);
        }
        assertEquals(1, json.get("schemaVersion").asInt());
    }

    /** Written as text and read back, so numbers compare by value and not by Java type. */
    private JsonNode written(Object event) throws IOException {
        return mapper.readTree(mapper.writeValueAsString(event));
    }

    private JsonNode golden(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name + ".json")) {
            return mapper.readTree(in);
        }
    }
}
