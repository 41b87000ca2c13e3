package io.conclave.kafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a real broker in a child JVM:
 * {@code @QuarkusTestResource(KafkaBrokerTestResource.class)} sets {@code kafka.bootstrap.servers}.
 */
public final class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap.servers";

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        return Map.of(BOOTSTRAP_PROPERTY, broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
