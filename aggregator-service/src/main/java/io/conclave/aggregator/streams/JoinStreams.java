package io.conclave.aggregator.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the join topology with the application and closes it on shutdown, since there is no
 * {@code quarkus-kafka-streams} for this Quarkus version. {@code start()} does not wait for the
 * broker, so the service boots (not ready) while Kafka is away.
 */
@ApplicationScoped
public class JoinStreams {

    private static final Logger LOG = Logger.getLogger(JoinStreams.class);

    private final AggregatorConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final String bootstrapServers;
    private final OpenTelemetry telemetry;

    private volatile KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    @Inject
    JoinStreams(AggregatorConfig config, ObjectMapper mapper, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, OpenTelemetry telemetry) {
        this.telemetry = telemetry;
        this.config = config;
        this.mapper = mapper;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        Topology topology = JoinTopology.build(mapper, config.punctuateInterval(), config.closedRetention(),
                new JoinMetrics(registry), telemetry);
        Properties props = StreamsSettings.of(config, bootstrapServers);
        LOG.infof("Starting the join topology as %s (instance %s):%n%s", config.applicationId(),
                StreamsSettings.instanceId(config), topology.describe());
        KafkaStreams started = new KafkaStreams(topology, props);
        started.setStateListener((to, from) -> LOG.infof("Kafka Streams %s -> %s", from, to));
        // An exception that reaches here is not a bad record (those go to the dead-letter topic):
        // stop the client, so liveness fails and the process is restarted from the committed offsets.
        started.setUncaughtExceptionHandler(e -> {
            LOG.error("Join stream thread failed; shutting the Kafka Streams client down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streamsMetrics = new KafkaStreamsMetrics(started);
        streamsMetrics.bindTo(registry);
        streams = started;
        started.start();
    }

    void stop(@Observes ShutdownEvent event) {
        KafkaStreams running = streams;
        if (running != null) {
            running.close(config.shutdownTimeout());
            streamsMetrics.close();
        }
    }

    /** The client's state, or {@code CREATED} before startup. */
    public KafkaStreams.State state() {
        KafkaStreams running = streams;
        return running == null ? KafkaStreams.State.CREATED : running.state();
    }
}
