package io.conclave.aggregator.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The join topology's state as health checks: ready only while RUNNING (not while rebalancing or
 * restoring), alive unless the client stopped on an error, which only a restart repairs.
 */
@ApplicationScoped
public class JoinStreamsHealth {

    static final String NAME = "kafka-streams-join";

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck readiness(JoinStreams streams) {
        return () -> {
            KafkaStreams.State state = streams.state();
            return response(state, state == KafkaStreams.State.RUNNING);
        };
    }

    @Produces
    @Liveness
    @ApplicationScoped
    HealthCheck liveness(JoinStreams streams) {
        return () -> {
            KafkaStreams.State state = streams.state();
            return response(state, state != KafkaStreams.State.ERROR);
        };
    }

    private static HealthCheckResponse response(KafkaStreams.State state, boolean up) {
        return HealthCheckResponse.named(NAME).status(up).withData("state", state.name()).build();
    }
}
