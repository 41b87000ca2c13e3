package io.conclave.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The server.properties of a single-node KRaft broker (combined broker and controller) that is
 * sized for tests and local runs: every replication factor is 1 and rebalances start at once.
 */
final class ServerConfig {

    static final int NODE_ID = 1;
    /**
     * Prefix of the broker JVM's system properties that set or replace one server setting each, e.g.
     * {@code -Dconclave.kafka.server.num.io.threads=2} in {@link KafkaBroker#JVM_OPTIONS_PROPERTY} (for benchmarks).
     */
    static final String OVERRIDE_PREFIX = "conclave.kafka.server.";
    static final String MAX_MESSAGE_BYTES = Integer.toString(16 * 1024 * 1024);

    private ServerConfig() {
    }

    static Map<String, String> properties(final int port, final int controllerPort, final Path logDir,
            final Properties systemProperties) {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + LoopbackPorts.HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + LoopbackPorts.HOST + ":" + port
                + ",CONTROLLER://" + LoopbackPorts.HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + LoopbackPorts.HOST + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());

        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Conclave's topics are created explicitly; auto-creation stays on for ad-hoc test topics.
        props.put("auto.create.topics.enable", "true");
        props.put("group.initial.rebalance.delay.ms", "0");

        props.put("message.max.bytes", MAX_MESSAGE_BYTES);
        props.put("replica.fetch.max.bytes", MAX_MESSAGE_BYTES);
        // The default 128 MB dedupe buffer of the log cleaner would take a quarter of the child's heap.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

        systemProperties.stringPropertyNames().stream().filter(name -> name.startsWith(OVERRIDE_PREFIX)).sorted()
                .forEach(name -> props.put(name.substring(OVERRIDE_PREFIX.length()),
                        systemProperties.getProperty(name)));
        return props;
    }

    static void write(final Path file, final Map<String, String> props) throws IOException {
        final String text = props.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# Written by io.conclave.kafka.BrokerMain on every start.\n", "\n"));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
