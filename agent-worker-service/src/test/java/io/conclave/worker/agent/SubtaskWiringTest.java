package io.conclave.worker.agent;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.AgentNotes;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskFailed;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.Topics;
import io.conclave.simulator.LlmSimulator;
import io.conclave.worker.SimulatorControl;
import io.conclave.worker.compress.TokenEstimate;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's wiring with the in-memory connector (no broker) and the LLM simulator as the model: a sub-task in
 * on {@code subtasks}, its outcome out on {@code join}, progress on {@code progress}. Kafka delivery itself
 * (commits, DLQ, redelivery) is not proven here.
 */
@QuarkusTest
@WithTestResource(InMemoryChannelsResource.class)
@WithTestResource(LlmSimulatorResource.class)
class SubtaskWiringTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    ObjectMapper mapper;

    LlmSimulator simulator;

    private SimulatorControl control;
    private InMemorySource<Message<SubtaskAssigned>> subtasks;
    private InMemorySink<JoinEvent> join;
    private InMemorySink<ProgressUpdated> progress;
    private final Map<String, Boolean> acks = new ConcurrentHashMap<>();
    private final List<LogRecord> runnerLogs = new CopyOnWriteArrayList<>();
    private Level runnerLevel;
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                ext.copyMdc();
            }
            runnerLogs.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        control = new SimulatorControl(simulator);
        control.configure("{\"ttft_ms\":30,\"token_ms\":1,\"tokens\":48,\"fail_next\":[]}");
        control.reset();
        subtasks = connector.<Message<SubtaskAssigned>>source(Channels.SUBTASKS).runOnVertxContext(true);
        join = connector.sink(Channels.JOIN);
        progress = connector.sink(Channels.PROGRESS);
        join.clear();
        progress.clear();
        Logger runner = Logger.getLogger(SubtaskRunner.class.getName());
        runnerLevel = runner.getLevel();
        // The runner logs a finished sub-task at debug.
        runner.setLevel(Level.FINE);
        runner.addHandler(logCapture);
    }

    @AfterEach
    void tearDown() {
        Logger runner = Logger.getLogger(SubtaskRunner.class.getName());
        runner.removeHandler(logCapture);
        runner.setLevel(runnerLevel);
    }

    @Test
    void anAgentSubtaskIsAnsweredOnJoinWithProgressAndAckedAfterwards() throws Exception {
        SubtaskAssigned task = agentTask("solver", "default", Instant.now().plusSeconds(30));

        send(task);

        SubtaskCompleted done = assertInstanceOf(SubtaskCompleted.class, outcome(task).getPayload());
        assertEquals(task.correlationId(), done.correlationId());
        assertEquals(task.subtaskId(), done.subtaskId());
        assertEquals("a1", done.agentId());
        assertEquals(SubtaskKind.AGENT, done.kind());
        assertEquals("solver", done.role());
        assertEquals("default", done.provider());
        assertEquals("sim-model", done.model());
        assertTrue(done.answer().matches("\\d+"), "the simulator answers a number: " + done.answer());
        assertTrue(done.notes().startsWith("Answer: " + done.answer() + "\n"), done.notes());
        assertEquals(TokenEstimate.count(done.notes()), done.notesTokens());
        assertTrue(done.notesTokens() <= 96, "within the notes budget: " + done.notesTokens());
        assertEquals(48, done.outputTokens());
        assertEquals(48, done.usage().completionTokens());
        assertTrue(done.usage().promptTokens() > 0);
        assertTrue(done.latencyMs() >= done.llmMs() && done.llmMs() >= 30, done.latencyMs() + " / " + done.llmMs());

        Message<JoinEvent> message = outcome(task);
        assertEquals(task.correlationId(), message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow()
                .getKey(), "keyed by correlation ID");
        await().atMost(WAIT).until(() -> acks.containsKey(task.subtaskId()));
        assertTrue(acks.get(task.subtaskId()), "acked, not nacked");

        await().atMost(WAIT).until(() -> progressOf(task).size() == 2);
        assertEquals(List.of(ProgressKind.AGENT_STARTED, ProgressKind.AGENT_FINISHED),
                progressOf(task).stream().map(ProgressUpdated::kind).toList(), "no deltas: not a final reply");
        assertEquals("solver", progressOf(task).get(0).role());

        JsonNode call = control.stats().path("recent").path(0);
        assertEquals("You are the solver.", call.path("systemPrompt").asText());
        assertEquals(0.4, call.path("temperature").asDouble());

        JsonNode wire = mapper.readTree(mapper.writeValueAsString(message.getPayload()));
        assertEquals("SubtaskCompleted", wire.path("type").asText(), "join events carry their type id: " + wire);
        assertInstanceOf(SubtaskCompleted.class, mapper.treeToValue(wire, JoinEvent.class));
    }

    @Test
    void theToolLoopRunsCalculatorAndCurrentTimeThenAnswersWithTheirRecords() {
        SubtaskAssigned task = agentTask("solver", "What is 6*7 and what time is it? "
                + "<tool_call name=\"calculator\">{\"expression\": \"6*7\"}</tool_call> "
                + "<tool_call name=\"current_time\">{}</tool_call>");

        send(task);

        SubtaskCompleted done = assertInstanceOf(SubtaskCompleted.class, outcome(task).getPayload());
        assertEquals(2, done.tools().size(), done.tools().toString());
        assertEquals("calculator", done.tools().get(0).tool());
        assertEquals("42", done.tools().get(0).result());
        assertTrue(done.tools().get(0).ok());
        assertEquals("current_time", done.tools().get(1).tool());
        assertTrue(done.tools().get(1).result().startsWith(String.valueOf(Instant.now().atZone(
                java.time.ZoneOffset.UTC).getYear())), done.tools().get(1).result());
        assertTrue(done.answer().matches("\\d+"), done.answer());
        assertEquals(3, control.stats().path("recent").size(), "two tool turns and the answer");
        assertEquals(1 + 1 + 48, done.usage().completionTokens(), "tokens of every turn");
    }

    @Test
    void theToolLoopStopsAtMaxStepsAndTheModelMustAnswer() {
        String ask = "<tool_call name=\"calculator\">{\"expression\": \"1+1\"}</tool_call>";
        SubtaskAssigned task = agentTask("solver", "Keep adding. " + ask.repeat(6));

        send(task);

        SubtaskCompleted done = assertInstanceOf(SubtaskCompleted.class, outcome(task).getPayload());
        assertEquals(4, done.tools().size(), "conclave.tools.max-steps=4 tool turns: " + done.tools());
        assertEquals(5, control.stats().path("recent").size(), "four tool turns and one forced answer");
    }

    @Test
    void aToolErrorIsShownToTheModelAndRecorded() {
        SubtaskAssigned task = agentTask("solver", "Divide. "
                + "<tool_call name=\"calculator\">{\"expression\": \"1/0\"}</tool_call>"
                + "<tool_call name=\"calculator\">not json</tool_call>");

        send(task);

        SubtaskCompleted done = assertInstanceOf(SubtaskCompleted.class, outcome(task).getPayload());
        assertEquals("error: division by zero", done.tools().get(0).result());
        assertFalse(done.tools().get(0).ok());
        assertTrue(done.tools().get(1).result().contains("not valid JSON"), done.tools().get(1).result());
    }

    @Test
    void aSynthesisFinalReplyStreamsItsTextAsDeltas() {
        SubtaskAssigned task = synthesisTask(Instant.now().plusSeconds(30));

        send(task);

        SubtaskCompleted done = assertInstanceOf(SubtaskCompleted.class, outcome(task).getPayload());
        assertEquals(SubtaskKind.SYNTHESIS, done.kind());
        assertTrue(done.answer().contains("\nAnswer: "), "a final reply's answer is the whole text: " + done.answer());
        assertTrue(done.notes().startsWith("Answer: "), done.notes());

        await().atMost(WAIT).until(() -> progressOf(task).stream()
                .anyMatch(p -> p.kind() == ProgressKind.AGENT_FINISHED));
        List<ProgressUpdated> deltas = progressOf(task).stream().filter(p -> p.kind() == ProgressKind.DELTA).toList();
        assertTrue(deltas.size() > 1, "streamed in batches: " + deltas.size());
        assertEquals(done.answer(), deltas.stream().map(ProgressUpdated::delta).collect(Collectors.joining()).strip());
        assertEquals(List.of(1L, 2L), deltas.stream().limit(2).map(ProgressUpdated::sequence).toList());

        String system = control.stats().path("recent").path(0).path("systemPrompt").asText();
        assertTrue(system.startsWith("You compose the final answer of a council of 2 agents"), system);
    }

    @Test
    void aSubtaskPastItsDeadlineFailsWithoutAnLlmCall() {
        SubtaskAssigned task = agentTask("solver", "default", Instant.now().minusSeconds(1));

        send(task);

        SubtaskFailed failed = assertInstanceOf(SubtaskFailed.class, outcome(task).getPayload());
        assertEquals("deadline passed before a worker took the sub-task", failed.reason());
        assertEquals("a1", failed.agentId());
        assertEquals(0, control.stats().path("calls").asInt());
    }

    @Test
    void anUpstreamErrorAfterEveryRetryBecomesSubtaskFailedWithItsReason() {
        control.configure("{\"fail_next\":[500,500,500]}");
        SubtaskAssigned task = agentTask("skeptic", "default", Instant.now().plusSeconds(30));

        send(task);

        SubtaskFailed failed = assertInstanceOf(SubtaskFailed.class, outcome(task).getPayload());
        assertEquals("provider default returned 500 after 3 attempts: "
                + "The server had an error while processing your request (simulated).", failed.reason());
        assertTrue(failed.latencyMs() >= 0);
        await().atMost(WAIT).until(() -> acks.containsKey(task.subtaskId()));
        assertTrue(acks.get(task.subtaskId()), "a reported failure is a processed sub-task");
    }

    @Test
    void anUnknownProviderIsNamedInTheReason() {
        SubtaskAssigned task = agentTask("solver", "vision", Instant.now().plusSeconds(30));

        send(task);

        SubtaskFailed failed = assertInstanceOf(SubtaskFailed.class, outcome(task).getPayload());
        assertEquals("no LLM provider named 'vision' is configured on this worker (it has: default)",
                failed.reason());
    }

    @Test
    void aRequestsAgentsRunAtTheSameTimeInOneWorker() {
        control.configure("{\"ttft_ms\":800}");
        String correlationId = UUID.randomUUID().toString();
        List<SubtaskAssigned> agents = List.of("a1", "a2", "a3", "a4").stream()
                .map(id -> agentTask(correlationId, id, "solver", "default", Instant.now().plusSeconds(30)))
                .toList();
        long start = System.nanoTime();

        agents.forEach(this::send);

        agents.forEach(task -> assertInstanceOf(SubtaskCompleted.class, outcome(task).getPayload()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(4, control.stats().path("peakConcurrency").asInt(), control.stats().toString());
        assertTrue(elapsedMs < 4 * 800, "ran side by side: " + elapsedMs + " ms");
    }

    @Test
    void aRecordWithoutIdsIsNackedAndProducesNothing() {
        SubtaskAssigned task = new SubtaskAssigned(null, "e", Instant.now(), 1, null, SubtaskKind.AGENT, Mode.INSTANT,
                null, List.of(new ChatMessage("user", "hi")), null, false, null);
        String marker = "no-ids-" + UUID.randomUUID();

        subtasks.send(Message.of(task)
                .withAck(() -> ack(marker, true))
                .withNack(failure -> ack(marker, false)));

        await().atMost(WAIT).until(() -> acks.containsKey(marker));
        assertFalse(acks.get(marker), "nacked, so the failure strategy (dead-letter queue) takes it");
        assertEquals(0, control.stats().path("calls").asInt());
    }

    @Test
    void theCorrelationIdIsInTheLogMdcWhileASubtaskRuns() {
        SubtaskAssigned task = agentTask("solver", "default", Instant.now().plusSeconds(30));

        send(task);
        outcome(task);

        await().atMost(WAIT).until(() -> runnerLogs.stream().anyMatch(r -> r.getMessage().contains(task.subtaskId())
                || String.valueOf(r.getParameters() == null ? "" : List.of(r.getParameters()))
                        .contains(task.subtaskId())));
        ExtLogRecord completed = runnerLogs.stream()
                .filter(ExtLogRecord.class::isInstance).map(ExtLogRecord.class::cast)
                .filter(r -> task.subtaskId().equals(r.getMdc(SubtaskConsumer.MDC_SUBTASK_ID)))
                .findFirst().orElseThrow(() -> new AssertionError("no runner log with the sub-task in its MDC"));
        assertEquals(task.correlationId(), completed.getMdc(SubtaskConsumer.MDC_CORRELATION_ID));
    }

    @Test
    void metricsAreExposed() {
        send(agentTask("solver", "default", Instant.now().plusSeconds(30)));
        await().atMost(WAIT).until(() -> !join.received().isEmpty());

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("conclave_agent_calls_total{provider=\"default\",result=\"success\"}"))
                .body(containsString("conclave_agent_latency_seconds_count{kind=\"agent\",result=\"completed\"}"))
                .body(containsString("conclave_agent_tokens_total{kind=\"agent\",type=\"notes\"}"));
    }

    @Test
    void theGoldenSubtaskAssignedRecordIsReadByTheChannelsDeserializer() {
        String golden = "{\"correlationId\":\"c-1\",\"eventId\":\"e-3\",\"occurredAt\":\"2026-11-22T10:00:20Z\","
                + "\"schemaVersion\":1,\"subtaskId\":\"c-1.synthesis\",\"kind\":\"synthesis\",\"mode\":\"contemplating\","
                + "\"agent\":{\"agentId\":\"synthesis\",\"role\":\"synthesizer\",\"provider\":\"default\","
                + "\"temperature\":0.2,\"maxTokens\":512},\"messages\":[{\"role\":\"user\",\"content\":\"6 x 7?\"}],"
                + "\"notes\":[{\"agentId\":\"a1\",\"role\":\"solver\",\"answer\":\"42\",\"notes\":\"6*7=42.\"}],"
                + "\"finalReply\":true,\"deadline\":\"2026-11-22T10:01:00Z\",\"addedLater\":1}";
        try (SubtaskAssignedDeserializer deserializer = new SubtaskAssignedDeserializer()) {
            SubtaskAssigned task = deserializer.deserialize(Topics.SUBTASKS, golden.getBytes(StandardCharsets.UTF_8));
            assertEquals(SubtaskKind.SYNTHESIS, task.kind());
            assertEquals(512, task.agent().maxTokens());
            assertEquals(Instant.parse("2026-11-22T10:01:00Z"), task.deadline());
        }
    }

    private void send(SubtaskAssigned task) {
        subtasks.send(Message.of(task)
                .withAck(() -> ack(task.subtaskId(), true))
                .withNack(failure -> ack(task.subtaskId(), false)));
    }

    private CompletableFuture<Void> ack(String key, boolean acked) {
        acks.put(key, acked);
        return CompletableFuture.completedFuture(null);
    }

    private Message<JoinEvent> outcome(SubtaskAssigned task) {
        await().atMost(WAIT).until(() -> join.received().stream()
                .anyMatch(m -> idOf(m.getPayload()).equals(task.subtaskId())));
        return join.received().stream().filter(m -> idOf(m.getPayload()).equals(task.subtaskId()))
                .findFirst().orElseThrow();
    }

    private List<ProgressUpdated> progressOf(SubtaskAssigned task) {
        return progress.received().stream().map(Message::getPayload)
                .filter(p -> task.subtaskId().equals(p.subtaskId())).toList();
    }

    private static String idOf(JoinEvent event) {
        return event instanceof SubtaskCompleted done ? done.subtaskId()
                : event instanceof SubtaskFailed failed ? failed.subtaskId() : "";
    }

    private static SubtaskAssigned agentTask(String role, String provider, Instant deadline) {
        return agentTask(UUID.randomUUID().toString(), "a1", role, provider, deadline);
    }

    private static SubtaskAssigned agentTask(String correlationId, String agentId, String role, String provider,
            Instant deadline) {
        String subtaskId = correlationId + "." + agentId;
        AgentSpec agent = new AgentSpec(agentId, subtaskId, role, "You are the " + role + ".", provider, null, 0.4, 0);
        return new SubtaskAssigned(correlationId, UUID.randomUUID().toString(), Instant.now(),
                ConclaveEvent.SCHEMA_VERSION, subtaskId, SubtaskKind.AGENT, Mode.CONTEMPLATING, agent,
                List.of(new ChatMessage("user", "What is 6 times 7?")), null, false, deadline);
    }

    private static SubtaskAssigned agentTask(String role, String question) {
        SubtaskAssigned plain = agentTask(role, "default", Instant.now().plusSeconds(30));
        return new SubtaskAssigned(plain.correlationId(), plain.eventId(), plain.occurredAt(), plain.schemaVersion(),
                plain.subtaskId(), plain.kind(), plain.mode(), plain.agent(), List.of(new ChatMessage("user", question)),
                null, false, plain.deadline());
    }

    private static SubtaskAssigned synthesisTask(Instant deadline) {
        String correlationId = UUID.randomUUID().toString();
        String subtaskId = correlationId + ".synthesis";
        AgentSpec agent = new AgentSpec("synthesis", subtaskId, "synthesizer", null, "default", null, 0.2, 0);
        return new SubtaskAssigned(correlationId, UUID.randomUUID().toString(), Instant.now(),
                ConclaveEvent.SCHEMA_VERSION, subtaskId, SubtaskKind.SYNTHESIS, Mode.CONTEMPLATING, agent,
                List.of(new ChatMessage("user", "What is 6 times 7?")),
                List.of(new AgentNotes("a1", "solver", "42", "Answer: 42\n6*7=42."),
                        new AgentNotes("a2", "skeptic", "41", "Answer: 41\nI added.")),
                true, deadline);
    }
}
