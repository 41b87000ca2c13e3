package io.conclave.aggregator.streams;

import static io.conclave.aggregator.Fixtures.AGENTS_DEADLINE;
import static io.conclave.aggregator.Fixtures.T0;
import static io.conclave.aggregator.Fixtures.completed;
import static io.conclave.aggregator.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.aggregator.Fixtures;
import io.conclave.aggregator.join.Join;
import io.conclave.aggregator.join.JoinState;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.SubtaskAssigned;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a restart or a rebalance the processor starts on a store restored from its changelog; the
 * joins in it must still be released at their deadlines although no event arrives for them.
 */
class JoinProcessorRestartTest {

    private static final Duration RETENTION = Duration.ofMinutes(10);

    private final ObjectMapper mapper = Fixtures.mapper();
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<String, byte[]> entries = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(JoinTopology.STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    private final JoinStore store = new JoinStore(entries, mapper);

    @BeforeEach
    void openTheStore() {
        entries.init(context.getStateStoreContext(), entries);
        context.addStateStore(entries);
    }

    @Test
    void openJoinsFoundInTheStoreAreReleasedAtTheirDeadline() {
        store.put(null, stateAfter(plan("c-1", 2, 1), completed("c-1", "a1", "42")));
        store.put(null, stateAfter(plan("c-2", 2, 1, T0, AGENTS_DEADLINE.plusSeconds(5), Fixtures.DEADLINE)));

        CapturedPunctuator punctuator = startProcessor();
        punctuator.getPunctuator().punctuate(AGENTS_DEADLINE.minusMillis(1).toEpochMilli());
        assertTrue(context.forwarded().isEmpty());

        punctuator.getPunctuator().punctuate(AGENTS_DEADLINE.toEpochMilli());
        assertEquals(1, context.forwarded(JoinTopology.SUBTASKS_SINK).size(), "only c-1 is due");
        SubtaskAssigned synthesis = (SubtaskAssigned) context.forwarded().get(0).record().value();
        assertEquals("c-1.synthesis", synthesis.subtaskId());
        assertEquals("42", synthesis.notes().get(0).answer(), "the agent's outcome was read from its own entry");
        assertEquals(JoinState.Phase.SYNTHESIZING, store.get("c-1").phase());
        assertEquals(JoinState.Phase.COLLECTING, store.get("c-2").phase());
    }

    @Test
    void aJoinStoredWholeByAnOlderAggregatorIsReleasedAndThenStoredInEntries() {
        JoinState old = stateAfter(plan("c-1", 2, 1), completed("c-1", "a1", "42"));
        entries.put("c-1", JsonSerde.of(mapper, JoinState.class).serialize(null, old));

        CapturedPunctuator punctuator = startProcessor();
        punctuator.getPunctuator().punctuate(AGENTS_DEADLINE.toEpochMilli());

        SubtaskAssigned synthesis = (SubtaskAssigned) context.forwarded(JoinTopology.SUBTASKS_SINK).get(0)
                .record().value();
        assertEquals("42", synthesis.notes().get(0).answer());
        assertNotNull(entries.get("c-1/plan"));
        assertNotNull(entries.get("c-1/agent/c-1.a1"));
        JoinState now = store.get("c-1");
        assertEquals(JoinState.Phase.SYNTHESIZING, now.phase());
        assertEquals(old.agents(), now.agents());
        assertEquals(old.plan(), now.plan());
    }

    @Test
    void aJoinMissingAnEntryIsDeletedWithAllItsEntriesAndTheOthersStay() {
        store.put(null, stateAfter(plan("c-1", 2, 1), completed("c-1", "a1", "42")));
        store.put(null, stateAfter(plan("c-2", 2, 1), completed("c-2", "a1", "42")));
        entries.delete("c-1/plan");

        startProcessor();

        assertNull(entries.get("c-1"));
        assertNull(entries.get("c-1/agent/c-1.a1"));
        assertEquals(JoinState.Phase.COLLECTING, store.get("c-2").phase());
    }

    private CapturedPunctuator startProcessor() {
        JoinProcessor processor = new JoinProcessor(mapper, RETENTION, Duration.ofMillis(100),
                new JoinMetrics(new SimpleMeterRegistry()));
        processor.init(context);
        return context.scheduledPunctuators().get(0);
    }

    private static JoinState stateAfter(JoinEvent... events) {
        Join join = new Join(RETENTION);
        JoinState state = null;
        for (JoinEvent event : events) {
            state = join.onEvent(state, event, T0).state();
        }
        return state;
    }
}
