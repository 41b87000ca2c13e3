package io.conclave.aggregator.streams;

import static io.conclave.aggregator.Fixtures.T0;
import static io.conclave.aggregator.Fixtures.completed;
import static io.conclave.aggregator.Fixtures.failed;
import static io.conclave.aggregator.Fixtures.plan;
import static io.conclave.aggregator.Fixtures.synthesisCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.aggregator.Fixtures;
import io.conclave.aggregator.join.JoinState;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology with its real serdes, store and punctuator, driven without a broker. */
class JoinTopologyTest {

    private static final String CID = "c-1";
    private static final Duration PUNCTUATE = Duration.ofMillis(100);
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final String CHANGELOG = "conclave-aggregator-" + JoinTopology.STORE + "-changelog";

    private final ObjectMapper mapper = Fixtures.mapper();
    private final JsonSerde<JoinEvent> events = JsonSerde.of(mapper, JoinEvent.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> join;
    private TestOutputTopic<String, RequestCompleted> results;
    private TestOutputTopic<String, SubtaskAssigned> subtasks;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        driver = driver();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void plansAndPartialsInGiveTheSynthesisSubtaskAndThenTheResultOut() {
        send(plan(CID, 2, 1));
        send(completed(CID, "a1", "42"));
        assertTrue(subtasks.isEmpty());
        send(completed(CID, "a2", "42"));

        TestRecord<String, SubtaskAssigned> synthesis = subtasks.readRecord();
        assertEquals(CID + ".synthesis", synthesis.key(), "sub-tasks are keyed by their own ID");
        assertEquals(SubtaskKind.SYNTHESIS, synthesis.value().kind());
        assertEquals(2, synthesis.value().notes().size());
        assertTrue(results.isEmpty());

        send(synthesisCompleted(CID, "It is 42.", 400));
        TestRecord<String, RequestCompleted> result = results.readRecord();
        assertEquals(CID, result.key());
        assertEquals(RequestStatus.COMPLETE, result.value().status());
        assertEquals("It is 42.", result.value().content());
        assertTrue(results.isEmpty() && subtasks.isEmpty() && deadLetters.isEmpty());
        assertEquals(1.0, registry.counter("conclave.join.outcomes", "result", "complete").count());
    }

    @Test
    void theJoinIsKeptInAChangelogedStoreAsJsonAndAPartialWritesOnlyItselfAndTheJoinsSmallEntry() {
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(),
                new ByteArrayDeserializer());
        send(plan(CID, 2, 1));
        assertEquals(List.of(CID + "/plan", CID), keys(changelog.readKeyValuesToList()));

        send(completed(CID, "a1", "42"));
        List<KeyValue<String, byte[]>> changes = changelog.readKeyValuesToList();
        assertEquals(List.of(CID + "/agent/c-1.a1", CID), keys(changes), "not the plan again");
        assertEquals("42", json(changes.get(0).value).get("answer").asText());
        JsonNode join = json(changes.get(1).value);
        assertEquals("COLLECTING", join.get("phase").asText());
        assertEquals("[\"c-1.a1\"]", join.get("reported").toString());
        assertNull(join.get("agents"), "the outcomes are not in the join's own entry");

        JoinState stored = store().get(CID);
        assertEquals(JoinState.Phase.COLLECTING, stored.phase());
        assertEquals(plan(CID, 2, 1).agents(), stored.plan().agents());
        assertEquals("42", stored.agents().get(0).answer());
    }

    @Test
    void aHeldPartialThatIsNotAnAgentOfItsPlanLeavesTheStoreWhenThePlanComes() {
        send(completed(CID, "a1", "42"));
        send(completed(CID, "a9", "41"));
        send(plan(CID, 2, 1));

        KeyValueStore<String, byte[]> entries = driver.getKeyValueStore(JoinTopology.STORE);
        assertNotNull(entries.get(CID + "/agent/c-1.a1"));
        assertNull(entries.get(CID + "/agent/c-1.a9"));
        assertEquals(List.of("c-1.a1"), store().get(CID).agents().stream().map(o -> o.subtaskId()).toList());
    }

    @Test
    void theWallClockPunctuatorReleasesTheJoinAtTheAgentsDeadline() {
        send(plan(CID, 3, 1));
        send(completed(CID, "a1", "42"));
        driver.advanceWallClockTime(Fixtures.untilAgentsDeadline().minus(PUNCTUATE));
        assertTrue(subtasks.isEmpty(), "not before the deadline");

        driver.advanceWallClockTime(PUNCTUATE.multipliedBy(2));
        SubtaskAssigned synthesis = subtasks.readValue();
        assertEquals(1, synthesis.notes().size());

        send(completed(CID, "a2", "41"));
        assertEquals(1.0, registry.counter("conclave.join.late").count(), "a2 came after the release");
        send(synthesisCompleted(CID, "42", 100));
        RequestCompleted result = results.readValue();
        assertEquals(RequestStatus.PARTIAL, result.status());
        assertEquals(List.of(AgentStatus.COMPLETE, AgentStatus.LATE, AgentStatus.LATE, AgentStatus.COMPLETE),
                result.agents().stream().map(a -> a.status()).toList());
    }

    @Test
    void duplicatesAreCountedAndChangeNothing() {
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(),
                new ByteArrayDeserializer());
        send(plan(CID, 2, 1));
        send(completed(CID, "a1", "42"));
        assertEquals(4, changelog.readKeyValuesToList().size());
        send(failed(CID, "a1", "redelivered"));
        send(plan(CID, 2, 1));

        assertEquals(2.0, registry.counter("conclave.join.duplicates").count());
        assertTrue(changelog.isEmpty(), "duplicates are not written to the store");
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndTheNextOneIsJoined() {
        join.pipeInput(CID, "{\"type\":\"PlanCreated\",".getBytes(StandardCharsets.UTF_8));
        join.pipeInput(CID, "{\"type\":\"Nonsense\"}".getBytes(StandardCharsets.UTF_8));
        send(Fixtures.single(CID));
        send(completed(CID, "a1", "42"));

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(2, dead.size());
        TestRecord<String, byte[]> first = dead.get(0);
        assertEquals(CID, first.key());
        assertEquals("{\"type\":\"PlanCreated\",", new String(first.value(), StandardCharsets.UTF_8),
                "the record as it came");
        assertEquals("not a JoinEvent", header(first.headers(), DeadLetters.REASON));
        assertNotNull(header(first.headers(), DeadLetters.CAUSE));
        assertEquals(Topics.JOIN, header(first.headers(), DeadLetters.TOPIC));
        assertEquals("0", header(first.headers(), DeadLetters.OFFSET));
        assertEquals("42", results.readValue().content(), "the partition goes on");
        assertEquals(2.0, registry.counter("conclave.join.dead-lettered").count());
    }

    @Test
    void aRecordWhoseKeyIsNotItsCorrelationIdIsDeadLettered() {
        join.pipeInput("other", events.serialize(Topics.JOIN, plan(CID, 2, 1)));
        join.pipeInput(CID, (byte[]) null);

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals("key other is not the correlationId c-1", header(dead.get(0).headers(), DeadLetters.REASON));
        assertEquals("no value", header(dead.get(1).headers(), DeadLetters.REASON));
        assertNull(store().get(CID));
    }

    @Test
    void aCorrelationIdWithTheStoresSeparatorIsDeadLettered() {
        send(plan("c/plan", 2, 1));

        assertEquals("a correlationId with '/' (the gateway's are UUIDs)",
                header(deadLetters.readRecord().headers(), DeadLetters.REASON));
        assertNull(store().get("c"));
    }

    @Test
    void aClosedJoinIsDeletedAfterItsRetention() {
        send(Fixtures.single(CID));
        send(completed(CID, "a1", "42"));
        assertEquals(JoinState.Phase.CLOSED, store().get(CID).phase());
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(),
                new ByteArrayDeserializer());
        changelog.readKeyValuesToList();

        driver.advanceWallClockTime(RETENTION.plus(PUNCTUATE));
        assertNull(store().get(CID));
        KeyValueStore<String, byte[]> entries = driver.getKeyValueStore(JoinTopology.STORE);
        try (var left = entries.all()) {
            assertFalse(left.hasNext(), "every entry of the join is deleted");
        }
        List<KeyValue<String, byte[]>> tombstones = changelog.readKeyValuesToList();
        assertEquals(List.of(CID + "/plan", CID + "/agent/c-1.a1", CID), keys(tombstones));
        assertTrue(tombstones.stream().allMatch(change -> change.value == null),
                "tombstones, so the changelog forgets the join too");
    }

    private TopologyTestDriver driver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "conclave-aggregator");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        TopologyTestDriver testDriver = new TopologyTestDriver(
                JoinTopology.build(mapper, PUNCTUATE, RETENTION, new JoinMetrics(registry)), props, T0);
        join = testDriver.createInputTopic(Topics.JOIN, new StringSerializer(), new ByteArraySerializer());
        results = testDriver.createOutputTopic(Topics.RESULTS, new StringDeserializer(),
                JsonSerde.of(mapper, RequestCompleted.class));
        subtasks = testDriver.createOutputTopic(Topics.SUBTASKS, new StringDeserializer(),
                JsonSerde.of(mapper, SubtaskAssigned.class));
        deadLetters = testDriver.createOutputTopic(JoinTopology.DLQ_TOPIC, new StringDeserializer(),
                new ByteArrayDeserializer());
        return testDriver;
    }

    private void send(JoinEvent event) {
        join.pipeInput(event.correlationId(), events.serialize(Topics.JOIN, event));
    }

    private JoinStore store() {
        return new JoinStore(driver.getKeyValueStore(JoinTopology.STORE), mapper);
    }

    private static List<String> keys(List<KeyValue<String, byte[]>> changes) {
        return changes.stream().map(change -> change.key).toList();
    }

    private JsonNode json(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
