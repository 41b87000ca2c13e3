package io.conclave.aggregator.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.aggregator.join.JoinState;
import io.conclave.aggregator.join.Outcome;
import io.conclave.contracts.PlanCreated;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code joins} store's layout. One join is several entries, so that an event writes only what it changed
 * instead of the whole join with every agent's notes (a fifth of the aggregator's samples in round five's profile):
 * <ul>
 * <li>{@code <correlationId>}: the {@link StoredJoin}, small, written on every change;
 * <li>{@code <correlationId>/plan}: the plan, with the request's messages and the agents' prompts, written once;
 * <li>{@code <correlationId>/agent/<subtaskId>}: one agent's outcome with its notes, written once.
 * </ul>
 * A correlation ID must not contain {@code /}, or its entries could be another join's. An entry under the
 * correlation ID that holds a whole {@link JoinState} (the layout before this one) is read as that join, so
 * joins stored by an older aggregator survive an upgrade.
 */
final class JoinStore {

    private static final char SEPARATOR = '/';
    private static final String PLAN = "/plan";
    private static final String AGENT = "/agent/";

    private final KeyValueStore<String, byte[]> store;
    private final ObjectMapper mapper;
    private final JsonSerde<StoredJoin> joins;
    private final JsonSerde<PlanCreated> plans;
    private final JsonSerde<Outcome> outcomes;
    /** Joins read from an entry of the older layout: their next write stores all of them in this one. */
    private final Set<String> legacy = new HashSet<>();

    JoinStore(KeyValueStore<String, byte[]> store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
        this.joins = JsonSerde.of(mapper, StoredJoin.class);
        this.plans = JsonSerde.of(mapper, PlanCreated.class);
        this.outcomes = JsonSerde.of(mapper, Outcome.class);
    }

    /** Whether a join with this correlation ID can be stored without its entries mixing with another's. */
    static boolean canHold(String correlationId) {
        return correlationId.indexOf(SEPARATOR) < 0;
    }

    /**
     * The join as last stored, or null when there is none.
     *
     * @throws SerializationException when an entry of the join cannot be read or is missing
     */
    JoinState get(String correlationId) {
        byte[] bytes = store.get(correlationId);
        if (bytes == null) {
            return null;
        }
        JsonNode tree = tree(bytes);
        if (tree.has("agents")) {
            legacy.add(correlationId);
            return read(tree, JoinState.class);
        }
        StoredJoin join = read(tree, StoredJoin.class);
        PlanCreated plan = join.phase() == JoinState.Phase.AWAITING_PLAN ? null
                : plans.deserialize(null, required(correlationId + PLAN));
        List<Outcome> agents = new ArrayList<>(join.reported().size());
        for (String subtaskId : join.reported()) {
            agents.add(outcomes.deserialize(null, required(agentKey(correlationId, subtaskId))));
        }
        return new JoinState(join.correlationId(), join.phase(), plan, agents, join.synthesis(), join.since(),
                join.status(), join.traceparent());
    }

    /**
     * Stores {@code after}, writing beside its small entry only the plan and the outcomes that {@code before}
     * did not have, and deleting the outcomes it dropped (partials held before their plan that are not its agents).
     *
     * @param before the join as stored until now, or null when none is
     */
    void put(JoinState before, JoinState after) {
        String key = after.correlationId();
        boolean rewrite = before == null || legacy.remove(key);
        if (after.plan() != null && (rewrite || before.plan() == null)) {
            store.put(key + PLAN, plans.serialize(null, after.plan()));
        }
        Set<String> had = rewrite ? Set.of() : subtaskIds(before);
        Set<String> has = subtaskIds(after);
        for (Outcome outcome : after.agents()) {
            if (!had.contains(outcome.subtaskId())) {
                store.put(agentKey(key, outcome.subtaskId()), outcomes.serialize(null, outcome));
            }
        }
        for (String dropped : had) {
            if (!has.contains(dropped)) {
                store.delete(agentKey(key, dropped));
            }
        }
        store.put(key, joins.serialize(null, StoredJoin.of(after)));
    }

    /**
     * Deletes every entry of a join.
     *
     * @param last the join as stored, or null when it could not be read: its entries are then found by their prefix
     */
    void delete(String correlationId, JoinState last) {
        legacy.remove(correlationId);
        List<String> keys = new ArrayList<>();
        if (last != null) {
            keys.add(correlationId + PLAN);
            last.agents().forEach(outcome -> keys.add(agentKey(correlationId, outcome.subtaskId())));
        } else {
            try (KeyValueIterator<String, byte[]> entries = store.prefixScan(correlationId + SEPARATOR,
                    new StringSerializer())) {
                entries.forEachRemaining(entry -> keys.add(entry.key));
            }
        }
        keys.forEach(store::delete);
        store.delete(correlationId);
    }

    /** The correlation IDs of every stored join. */
    List<String> correlationIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                if (canHold(entry.key)) {
                    ids.add(entry.key);
                }
            }
        }
        return ids;
    }

    private byte[] required(String key) {
        byte[] bytes = store.get(key);
        if (bytes == null) {
            throw new SerializationException("the join's entry " + key + " is missing");
        }
        return bytes;
    }

    private JsonNode tree(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw new SerializationException("not a stored join: " + e.getMessage(), e);
        }
    }

    private <T> T read(JsonNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String agentKey(String correlationId, String subtaskId) {
        return correlationId + AGENT + subtaskId;
    }

    private static Set<String> subtaskIds(JoinState state) {
        Set<String> ids = new HashSet<>();
        state.agents().forEach(outcome -> ids.add(outcome.subtaskId()));
        return ids;
    }
}
