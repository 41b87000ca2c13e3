package io.conclave.planner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ContentPart;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RecordPosition;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.Topics;
import io.conclave.planner.plan.PlanBuilder;
import io.conclave.planner.plan.PlannedRequest;
import io.conclave.planner.plan.RoleLibrary;
import io.conclave.planner.plan.TestPlannerConfigs;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request's data images stay in its record: plans and sub-tasks carry references and the record's position. */
class ImageReferencesTest {

    private static final String PNG = "data:image/png;base64," + "A".repeat(40_000);
    private static final String HTTPS = "https://example.com/cat.jpg";
    private static final RecordPosition AT = new RecordPosition(Topics.REQUESTS, 5, 42);

    private final PlanBuilder builder = new PlanBuilder(TestPlannerConfigs.with(Map.of()), new RoleLibrary(),
            Clock.systemUTC());

    @Test
    void agentSubtasksReferToTheImagesOfTheRequestRecord() {
        RequestSubmitted request = request(new ChatMessage("user", "compare", List.of(
                new ContentPart(ContentPart.TEXT, "compare", null, null, null),
                new ContentPart(ContentPart.IMAGE_URL, null, PNG, "high", null),
                new ContentPart(ContentPart.IMAGE_URL, null, HTTPS, null, null),
                new ContentPart(ContentPart.IMAGE_URL, null, PNG, null, null))));

        PlannedRequest planned = ImageReferences.pointedTo(builder.plan(ImageReferences.withoutImageData(request)), AT);

        assertEquals(3, planned.subtasks().size());
        for (SubtaskAssigned subtask : planned.subtasks()) {
            assertEquals(AT, subtask.imagesAt());
            List<ContentPart> parts = subtask.messages().get(0).parts();
            assertEquals(new ContentPart(ContentPart.IMAGE_REF, null, null, "high", 0), parts.get(1));
            assertEquals(HTTPS, parts.get(2).imageUrl());
            assertEquals(new ContentPart(ContentPart.IMAGE_REF, null, null, null, 1), parts.get(3));
        }
        assertTrue(planned.plan().messages().toString().length() < 1_000, "the plan carries no image data");
    }

    @Test
    void aTextRequestIsLeftAsItIs() {
        RequestSubmitted request = request(new ChatMessage("user", "hi"));
        assertSame(request, ImageReferences.withoutImageData(request));
        PlannedRequest planned = ImageReferences.pointedTo(builder.plan(request), null);
        assertNull(planned.subtasks().get(0).imagesAt());
    }

    @Test
    void imagesWithoutTheRecordsPositionCannotBePlanned() {
        RequestSubmitted request = request(new ChatMessage("user", "what is it", List.of(
                new ContentPart(ContentPart.IMAGE_URL, null, PNG, null, null))));
        PlannedRequest planned = builder.plan(ImageReferences.withoutImageData(request));
        assertThrows(IllegalArgumentException.class, () -> ImageReferences.pointedTo(planned, null));
    }

    private static RequestSubmitted request(ChatMessage message) {
        return new RequestSubmitted("c-1", "e-1", Instant.now(), 1, "local", "conclave-contemplating",
                Mode.CONTEMPLATING, List.of(message), 3, null, null, null, null, null, false);
    }
}
