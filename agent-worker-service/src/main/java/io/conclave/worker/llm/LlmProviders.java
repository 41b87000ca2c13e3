package io.conclave.worker.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The providers configured under {@code conclave.llm.providers}, each with its own HTTP client and pool, looked
 * up by the name a plan gives an agent.
 */
@ApplicationScoped
public class LlmProviders {

    private final Map<String, LlmProvider> providers;

    LlmProviders(LlmConfig config, Vertx vertx, ObjectMapper mapper, Clock clock, MeterRegistry meters,
            Tracer tracer) {
        RetryPolicy retry = RetryPolicy.of(config.retry());
        RandomGenerator random = RandomGenerator.getDefault();
        this.providers = config.providers().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey,
                entry -> new LlmProvider(new OpenAiChatClient(vertx, mapper, clock,
                        ProviderSettings.of(entry.getKey(), entry.getValue())), retry,
                        new CircuitBreaker(config.circuitBreaker().requestVolume(),
                                config.circuitBreaker().failureRatio(), config.circuitBreaker().delay(), clock),
                        vertx, clock, meters, random, tracer)));
    }

    public Optional<LlmProvider> get(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public Set<String> names() {
        return new TreeMap<>(providers).keySet();
    }

    @PreDestroy
    void close() {
        providers.values().forEach(LlmProvider::close);
    }
}
