package io.conclave.worker.agent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/**
 * Swaps the Kafka connector for the in-memory one: proves the wiring (channels, payloads, metadata, acks), not
 * Kafka delivery.
 */
public final class InMemoryChannelsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new HashMap<>();
        properties.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(Channels.SUBTASKS));
        properties.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(Channels.JOIN, Channels.PROGRESS));
        return properties;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
