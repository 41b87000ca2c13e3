package io.conclave.gateway.support;

import io.conclave.gateway.Channels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Moves the gateway's channels to the in-memory connector: these tests prove wiring, not Kafka delivery. */
public final class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new HashMap<>();
        properties.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(Channels.REQUESTS,
                Channels.CONTROL, Channels.CANCELLED_RESULTS));
        properties.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(Channels.RESULTS, Channels.PROGRESS));
        return properties;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
