package io.conclave.aggregator.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the aggregator's join and of its Kafka Streams client ({@code conclave.aggregator.*}). */
@ConfigMapping(prefix = "conclave.aggregator")
public interface AggregatorConfig {

    /** Kafka Streams {@code application.id}: the consumer group and the prefix of the internal topics. */
    @WithDefault("conclave-aggregator")
    String applicationId();

    /** How often the wall-clock punctuator looks for joins whose deadline or retention passed. */
    @WithDefault("100ms")
    Duration punctuateInterval();

    /** How long closed joins (and partials still waiting for their plan) stay in the store. */
    @WithDefault("10m")
    Duration closedRetention();

    /** Where RocksDB keeps the {@code joins} store; restored from its changelog when lost. */
    @WithDefault("${java.io.tmpdir}/conclave-aggregator")
    String stateDir();

    /**
     * Static membership ({@code group.instance.id}) of the main consumer: a process killed and
     * restarted under the same ID gets its partitions back at once instead of after the session
     * timeout. Default: the host name. Two processes on one host need two IDs.
     */
    Optional<String> instanceId();

    /** How long the group waits for a silent member before moving its partitions. */
    @WithDefault("10s")
    Duration sessionTimeout();

    /**
     * How often offsets are committed: each commit flushes the store cache, waits for the broker to acknowledge
     * every record sent, and commits synchronously, all on the stream thread (see {@link StreamsSettings#of}).
     */
    @WithDefault("1s")
    Duration commitInterval();

    @WithDefault("1")
    int streamThreads();

    /**
     * The record cache in front of the join store, in bytes (Kafka Streams' {@code statestore.cache.max.bytes}):
     * see {@link StreamsSettings#of}.
     */
    @WithDefault("65536")
    long storeCacheBytes();

    /** How long shutdown waits for the stream threads to finish and commit. */
    @WithDefault("10s")
    Duration shutdownTimeout();

    /**
     * Any other Kafka Streams or client setting, applied last, e.g.
     * {@code conclave.aggregator.streams."replication.factor"=3}.
     */
    Map<String, String> streams();
}
