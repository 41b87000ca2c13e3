package io.conclave.gateway.reply;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.conclave.contracts.RequestCompleted;
import io.conclave.gateway.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The results this replica has seen, bounded in size and age: it makes the first result per
 * correlation ID win (results arrive at least once) and lets a later call fetch a finished result.
 */
@Singleton
public final class ResultCache {

    private final Cache<String, RequestCompleted> results;

    @Inject
    public ResultCache(GatewayConfig config) {
        this.results = Caffeine.newBuilder()
                .maximumSize(config.results().cacheSize())
                .expireAfterWrite(config.results().cacheTtl())
                // Evict on the writing thread: the work is tiny and keeps the bound exact.
                .executor(Runnable::run)
                .build();
    }

    /** Keeps a result unless one with its correlation ID is already kept; true when it is the first. */
    public boolean offer(RequestCompleted result) {
        return results.asMap().putIfAbsent(result.correlationId(), result) == null;
    }

    public Optional<RequestCompleted> get(String correlationId) {
        return Optional.ofNullable(results.getIfPresent(correlationId));
    }
}
