package io.conclave.gateway.reply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.conclave.contracts.RequestCompleted;
import io.conclave.gateway.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The results this replica has seen, bounded in size and age: it makes the first result per
 * correlation ID win (results arrive at least once) and lets a later call fetch a finished result.
 *
 * <p>Each result is kept as its JSON, one byte array, not as the record: a {@code RequestCompleted} with its agent
 * reports is more than a hundred objects, and with up to {@code cache-size} of them in the old generation every full
 * collection walked them all (docs/benchmarks.md, round eight). A result is written once when it arrives and read
 * back only when a later call fetches it.
 */
@Singleton
public final class ResultCache {

    private final Cache<String, byte[]> results;
    private final ObjectMapper mapper;

    @Inject
    public ResultCache(GatewayConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.results = Caffeine.newBuilder()
                .maximumSize(config.results().cacheSize())
                .expireAfterWrite(config.results().cacheTtl())
                // Evict on the writing thread: the work is tiny and keeps the bound exact.
                .executor(Runnable::run)
                .build();
    }

    /** Keeps a result unless one with its correlation ID is already kept; true when it is the first. */
    public boolean offer(RequestCompleted result) {
        if (results.getIfPresent(result.correlationId()) != null) {
            return false;
        }
        return results.asMap().putIfAbsent(result.correlationId(), write(result)) == null;
    }

    public Optional<RequestCompleted> get(String correlationId) {
        return Optional.ofNullable(results.getIfPresent(correlationId)).map(this::read);
    }

    private byte[] write(RequestCompleted result) {
        try {
            return mapper.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot keep the result of " + result.correlationId(), e);
        }
    }

    private RequestCompleted read(byte[] json) {
        try {
            return mapper.readValue(json, RequestCompleted.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept result no longer reads as a RequestCompleted", e);
        }
    }
}
