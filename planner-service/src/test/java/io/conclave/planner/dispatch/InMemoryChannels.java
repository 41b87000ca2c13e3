package io.conclave.planner.dispatch;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Moves the planner's channels to the in-memory connector: these tests prove wiring, not Kafka delivery. */
public final class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new HashMap<>();
        properties.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(Channels.REQUESTS));
        properties.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(
                Channels.JOIN, Channels.SUBTASKS, Channels.PROGRESS));
        return properties;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
