package io.conclave.planner.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.Mode;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.SubtaskAssigned;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The planner's wiring on the in-memory connector: a request in, its plan and sub-tasks out. */
@QuarkusTest
@WithTestResource(InMemoryChannels.class)
class PlannerWiringTest {

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    Config config;

    @BeforeEach
    void clearSinks() {
        connector.sink(Channels.JOIN).clear();
        connector.sink(Channels.SUBTASKS).clear();
        connector.sink(Channels.PROGRESS).clear();
    }

    @Test
    void aRequestBecomesAPlanOnJoinSubtasksAndProgress() throws Exception {
        InMemorySink<PlanCreated> join = connector.sink(Channels.JOIN);
        InMemorySink<SubtaskAssigned> subtasks = connector.sink(Channels.SUBTASKS);
        InMemorySink<ProgressUpdated> progress = connector.sink(Channels.PROGRESS);

        connector.<RequestSubmitted>source(Channels.REQUESTS).send(new RequestSubmitted("corr-1", "e-1",
                Instant.now(), 1, "local", "conclave-contemplating", Mode.CONTEMPLATING,
                List.of(new ChatMessage("user", "What is 6 times 7?")), 3, null, null, null, null, null, false));

        await(() -> progress.received().size() == 1 && subtasks.received().size() == 3);

        assertEquals(1, join.received().size());
        Message<PlanCreated> plan = join.received().get(0);
        assertInstanceOf(PlanCreated.class, plan.getPayload());
        assertEquals("corr-1", key(plan));
        assertEquals(3, plan.getPayload().agents().size());
        assertEquals(List.of("corr-1.a1", "corr-1.a2", "corr-1.a3"),
                subtasks.received().stream().map(PlannerWiringTest::key).toList());
        assertEquals("corr-1", key(progress.received().get(0)));
        assertEquals(ProgressKind.PLANNED, progress.received().get(0).getPayload().kind());
    }

    @Test
    void requestsPlannedAtOnceEachGetTheirPlanAndAllTheirSubtasks() throws Exception {
        InMemorySink<PlanCreated> join = connector.sink(Channels.JOIN);
        InMemorySink<SubtaskAssigned> subtasks = connector.sink(Channels.SUBTASKS);

        for (int i = 0; i < 20; i++) {
            connector.<RequestSubmitted>source(Channels.REQUESTS).send(new RequestSubmitted("corr-o" + i, "e",
                    Instant.now(), 1, "local", "conclave-contemplating", Mode.CONTEMPLATING,
                    List.of(new ChatMessage("user", "hi")), 4, null, null, null, null, null, false));
        }
        await(() -> subtasks.received().size() == 80 && join.received().size() == 20);

        Map<String, List<String>> subtasksByRequest = subtasks.received().stream()
                .collect(Collectors.groupingBy(m -> m.getPayload().correlationId(),
                        Collectors.mapping(PlannerWiringTest::key, Collectors.toList())));
        assertEquals(20, subtasksByRequest.size());
        for (Message<PlanCreated> plan : join.received()) {
            String correlationId = key(plan);
            assertEquals(Set.of(correlationId + ".a1", correlationId + ".a2", correlationId + ".a3",
                    correlationId + ".a4"), Set.copyOf(subtasksByRequest.get(correlationId)), correlationId);
        }
    }

    @Test
    void quarkusGeneratedTheRequestDeserializer() {
        String deserializer = config.getValue("mp.messaging.incoming.requests.value.deserializer", String.class);
        assertTrue(deserializer.contains("RequestSubmitted"), deserializer);
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        connector.<RequestSubmitted>source(Channels.REQUESTS).send(new RequestSubmitted("corr-m", "e", Instant.now(),
                1, "local", "conclave-thinking", Mode.THINKING, List.of(new ChatMessage("user", "hi")), null, null,
                null, null, null, null, false));
        await(() -> connector.sink(Channels.PROGRESS).received().size() == 1);

        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("conclave_plans_total{mode=\"thinking\",strategy=\"single\"}"));
    }

    private static String key(Message<?> message) {
        return (String) message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
