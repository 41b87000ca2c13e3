package io.conclave.aggregator.streams;

import static io.conclave.aggregator.Fixtures.AGENTS_DEADLINE;
import static io.conclave.aggregator.Fixtures.T0;
import static io.conclave.aggregator.Fixtures.completed;
import static io.conclave.aggregator.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/**
 * After a restart or a rebalance the processor starts on a store restored from its changelog; the
 * joins in it must still be released at their deadlines although no event arrives for them.
 */
class JoinProcessorRestartTest {

    private static final Duration RETENTION = Duration.ofMinutes(10);

    @Test
    void openJoinsFoundInTheStoreAreReleasedAtTheirDeadline() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, JoinState> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(JoinTopology.STORE), Serdes.String(),
                        JsonSerde.of(Fixtures.mapper(), JoinState.class))
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        store.put("c-1", stateAfter(plan("c-1", 2, 1), completed("c-1", "a1", "42")));
        store.put("c-2", stateAfter(plan("c-2", 2, 1, T0, AGENTS_DEADLINE.plusSeconds(5), Fixtures.DEADLINE)));

        JoinProcessor processor = new JoinProcessor(JsonSerde.of(Fixtures.mapper(), JoinEvent.class), RETENTION,
                Duration.ofMillis(100), new JoinMetrics(new SimpleMeterRegistry()));
        processor.init(context);
        CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);
        punctuator.getPunctuator().punctuate(AGENTS_DEADLINE.minusMillis(1).toEpochMilli());
        assertTrue(context.forwarded().isEmpty());

        punctuator.getPunctuator().punctuate(AGENTS_DEADLINE.toEpochMilli());
        assertEquals(1, context.forwarded(JoinTopology.SUBTASKS_SINK).size(), "only c-1 is due");
        SubtaskAssigned synthesis = (SubtaskAssigned) context.forwarded().get(0).record().value();
        assertEquals("c-1.synthesis", synthesis.subtaskId());
        assertEquals(JoinState.Phase.SYNTHESIZING, store.get("c-1").phase());
        assertEquals(JoinState.Phase.COLLECTING, store.get("c-2").phase());
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
