package io.conclave.aggregator.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.RequestCancelled;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.Topics;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's Kafka Streams topology: {@code conclave.join} → the join processor and its
 * changelogged {@code joins} store → {@code conclave.results}, {@code conclave.subtasks} (synthesis),
 * {@code conclave.control} (a vote's early stop) and {@code conclave.join.dlq}. Everything one request needs is in
 * one partition of {@code conclave.join}, so no repartitioning and no cross-topic join are needed.
 */
public final class JoinTopology {

    /** The key-value store of joins ({@link JoinStore}); its changelog is {@code <application.id>-joins-changelog}. */
    public static final String STORE = "joins";
    public static final String DLQ_TOPIC = Topics.JOIN + Topics.DLQ_SUFFIX;

    static final String SOURCE = "join-events";
    static final String PROCESSOR = "join";
    static final String RESULTS_SINK = "results";
    static final String SUBTASKS_SINK = "synthesis-subtasks";
    static final String CONTROL_SINK = "cancellations";
    static final String DLQ_SINK = "dead-letters";

    private JoinTopology() {
    }

    public static Topology build(ObjectMapper mapper, Duration punctuateInterval, Duration closedRetention,
            JoinMetrics metrics) {
        return build(mapper, punctuateInterval, closedRetention, metrics, OpenTelemetry.noop());
    }

    /** @param telemetry traces the join's work and propagates the trace context to what it publishes */
    public static Topology build(ObjectMapper mapper, Duration punctuateInterval, Duration closedRetention,
            JoinMetrics metrics, OpenTelemetry telemetry) {
        JoinTracing tracing = new JoinTracing(telemetry);
        // Cached: a join's writes reach RocksDB and the changelog at each commit (commit-interval, 1 s) or when the
        // cache (store-cache-bytes) is full, so writes close together are one changelog record; the offsets committed
        // with them are those of the events they hold, so a restart still loses nothing.
        // The values are JSON of several types, one join being several entries (JoinStore).
        StoreBuilder<KeyValueStore<String, byte[]>> joins = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of())
                .withCachingEnabled();

        Topology topology = new Topology();
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.JOIN);
        topology.addProcessor(PROCESSOR,
                () -> new JoinProcessor(mapper, closedRetention, punctuateInterval, metrics, tracing), SOURCE);
        topology.addStateStore(joins, PROCESSOR);
        topology.addSink(RESULTS_SINK, Topics.RESULTS, new StringSerializer(),
                JsonSerde.of(mapper, RequestCompleted.class), PROCESSOR);
        topology.addSink(SUBTASKS_SINK, Topics.SUBTASKS, new StringSerializer(),
                JsonSerde.of(mapper, SubtaskAssigned.class), PROCESSOR);
        topology.addSink(CONTROL_SINK, Topics.CONTROL, new StringSerializer(),
                JsonSerde.of(mapper, RequestCancelled.class), PROCESSOR);
        topology.addSink(DLQ_SINK, DLQ_TOPIC, new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
