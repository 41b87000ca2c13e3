package io.conclave.gateway.reply;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.RequestCompleted;
import io.conclave.gateway.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The results this replica has seen, bounded in bytes and age: it makes the first result per
 * correlation ID win (results arrive at least once) and lets a later call fetch a finished result.
 *
 * <p>Results are kept in the order they arrived and the oldest go first, when the bytes exceed {@code cache-max-bytes}
 * or once they are older than {@code cache-ttl}. Not a frequency-based cache such as Caffeine's: each result is
 * written once and read at most a few times, so once such a cache was full it kept its oldest results and turned
 * away the newest, the ones a client is about to fetch.
 *
 * <p>Each result is kept as its JSON, deflated, in one byte array, not as the record: a {@code RequestCompleted} with
 * its agent reports is more than a hundred objects, and with thousands of them in the old generation every full
 * collection walked them all (docs/benchmarks.md, round eight). Deflated at the fastest level, English answers keep in
 * less than half their JSON's bytes and the simulator's in about a quarter, at tens of microseconds a result (round
 * seventeen: the full cache was over half of the gateway's live heap). The bound is on those bytes because a result
 * carries every agent's answer: with a real model's answers, ten thousand results are hundreds of megabytes.
 */
@Singleton
public final class ResultCache {

    /** Bytes an entry costs beyond its deflated JSON and its key's characters: the map's entry, the key, the array. */
    static final int ENTRY_OVERHEAD_BYTES = 128;
    private static final int BUFFER_BYTES = 4096;

    private final ObjectMapper mapper;
    private final long maxBytes;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    /** Guarded by {@code this}; insertion order, so the eldest entry is the oldest result. */
    private final LinkedHashMap<String, Kept> results = new LinkedHashMap<>();
    private long bytes;

    @Inject
    public ResultCache(GatewayConfig config, ObjectMapper mapper) {
        this(config, mapper, System::nanoTime);
    }

    ResultCache(GatewayConfig config, ObjectMapper mapper, LongSupplier nanoTime) {
        this.mapper = mapper;
        this.maxBytes = config.results().cacheMaxBytes().asLongValue();
        this.ttlNanos = config.results().cacheTtl().toNanos();
        this.nanoTime = nanoTime;
    }

    /** Keeps a result unless one with its correlation ID is already kept; true when it is the first. */
    public boolean offer(RequestCompleted result) {
        String correlationId = result.correlationId();
        if (kept(correlationId) != null) {
            return false;
        }
        byte[] deflated = write(result);
        synchronized (this) {
            long now = nanoTime.getAsLong();
            // First, so that an expired result no longer holds its correlation ID.
            dropOldest(now);
            if (results.putIfAbsent(correlationId, new Kept(deflated, now)) != null) {
                return false;
            }
            bytes += bytes(correlationId, deflated);
            dropOldest(now);
            return true;
        }
    }

    public Optional<RequestCompleted> get(String correlationId) {
        return Optional.ofNullable(kept(correlationId)).map(this::read);
    }

    /** About what one kept result holds on the heap, given its deflated JSON. */
    static int bytes(String correlationId, byte[] deflated) {
        return deflated.length + 2 * correlationId.length() + ENTRY_OVERHEAD_BYTES;
    }

    private synchronized byte[] kept(String correlationId) {
        Kept kept = results.get(correlationId);
        return kept == null || expired(kept, nanoTime.getAsLong()) ? null : kept.deflated();
    }

    /** Drops the oldest results while they are expired or the bytes are over budget (arrival order = age order). */
    private void dropOldest(long now) {
        Iterator<Map.Entry<String, Kept>> oldestFirst = results.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<String, Kept> entry = oldestFirst.next();
            if (bytes <= maxBytes && !expired(entry.getValue(), now)) {
                return;
            }
            bytes -= bytes(entry.getKey(), entry.getValue().deflated());
            oldestFirst.remove();
        }
    }

    private boolean expired(Kept kept, long now) {
        return now - kept.keptAtNanos() >= ttlNanos;
    }

    /** The result's JSON, deflated at the fastest level. */
    byte[] write(RequestCompleted result) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            ByteArrayOutputStream deflated = new ByteArrayOutputStream(1024);
            try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, deflater, BUFFER_BYTES)) {
                mapper.writeValue(out, result);
            }
            return deflated.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the result of " + result.correlationId(), e);
        } finally {
            deflater.end(); // its native buffers now, not when the collector finds it
        }
    }

    private RequestCompleted read(byte[] deflated) {
        Inflater inflater = new Inflater();
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated), inflater, BUFFER_BYTES)) {
            return mapper.readValue(in, RequestCompleted.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept result no longer reads as a RequestCompleted", e);
        } finally {
            inflater.end();
        }
    }

    /** One kept result: its deflated JSON and when it arrived ({@link System#nanoTime()}). */
    private record Kept(byte[] deflated, long keptAtNanos) {
    }
}
