package io.conclave.aggregator.streams;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The Kafka Streams client configuration, every choice that differs from a default made here and explained. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    public static Properties of(AggregatorConfig config, String bootstrapServers) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        // At-least-once: after a crash a result or a synthesis sub-task may be published twice. Every
        // gateway replica keeps the first RequestCompleted per correlation ID and both copies carry the
        // same event ID, so clients still see one answer, without exactly-once's transaction per commit.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Once a second by default: a commit flushes the store cache, then waits on the stream thread for the
        // broker to acknowledge every record sent (producer flush) and for the offsets' synchronous commit. Every
        // 100 ms, that held the joins for hundreds of ms at 100 requests/s and the cold mesh's for seconds
        // (docs/benchmarks.md, round twelve). The price: after a crash up to a second of joins is processed again.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitInterval().toMillis()));

        // Static membership: a process killed and restarted under the same instance ID gets its
        // partitions (and their open joins) back at once, without a rebalance. Kafka Streams appends
        // the thread index to the ID, so one ID per process is enough.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId(config));
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                Long.toString(config.sessionTimeout().toMillis()));

        // Kafka Streams sets linger.ms=100 for its producer: that would be added to every answer.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "0");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), "true");

        // The record cache in front of the join store (JoinTopology), conclave.aggregator.store-cache-bytes, 64 KB by
        // default. An entry stays in it after the commit that wrote it, until the cache is full: with 2 MB that was
        // seconds at 20 requests/s and about one at 100, longer than the young generation holds an object, so
        // every join was copied to the old generation and the aggregator made a full collection a minute at 20
        // requests/s and 7-11 a minute at 100. With 64 KB it made none after the warm-up in two runs, two in the minute
        // at 100 (as its heap grew) in a third, at no CPU cost that showed: the cache still merges the writes of a join
        // that come close together (docs/benchmarks.md, round eleven).
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(config.storeCacheBytes()));

        // One bounded off-heap budget for all join stores instead of ~100 MB of cache and memtables per store.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());

        // The topology reads raw bytes and dead-letters what it cannot parse itself (JoinProcessor);
        // should a deserializer still fail, the record is logged and skipped, never stops the partition.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());

        props.putAll(config.streams());
        return props;
    }

    static String instanceId(AggregatorConfig config) {
        return config.instanceId().filter(id -> !id.isBlank()).orElseGet(StreamsSettings::hostName);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("no host name for conclave.aggregator.instance-id; set it explicitly", e);
        }
    }
}
