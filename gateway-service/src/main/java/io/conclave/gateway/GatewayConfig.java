package io.conclave.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's settings: how long a client waits for its answer and how long finished results
 * are kept, so they can be tuned per deployment (and shortened in tests) without a rebuild.
 */
@ConfigMapping(prefix = "conclave.gateway")
public interface GatewayConfig {

    /** The tenant of anonymous requests, when {@link Auth#anonymous()} allows them. */
    @WithDefault("local")
    String tenant();

    /** Who may call: API key hashes per tenant, or anonymous use on a developer's machine. */
    Auth auth();

    /** What one tenant may ask of this replica. */
    Limits limits();

    /**
     * Requests this replica holds open (waiting, streaming or async) before it sheds load with a 503
     * and {@code Retry-After} instead of queueing without bound.
     */
    @WithDefault("2000")
    int maxPending();

    /** Time a client waits beyond its request's deadline, for the join and the result's way back. */
    @WithDefault("15s")
    Duration resultGrace();

    /** Each mode's deadline when the client gives none; mirrors the planner's defaults. */
    Deadlines deadline();

    /** Finished results kept in memory. */
    Results results();

    /** {@code image_url} content parts; over a limit the client gets 413. */
    Images images();

    /** API keys, stored as hex SHA-256 hashes so that no key is kept in clear. */
    interface Auth {
        /**
         * Requests without a key belong to {@link GatewayConfig#tenant()}; for {@code ./conclave up} and tests
         * only. Keys, when configured, are still checked.
         */
        @WithDefault("false")
        boolean anonymous();

        /** A directory with one file per tenant, named after it, holding the hash (the Kubernetes Secret mount). */
        @WithDefault("/etc/conclave/tenants")
        String keysDir();

        /** More tenants from config: tenant name → hex SHA-256 of its API key. */
        Map<String, String> keys();
    }

    /** Per-tenant limits; over them a client gets 429 and {@code Retry-After}. */
    interface Limits {
        /** Requests accepted per tenant per minute (sliding one-minute window). */
        @WithDefault("600")
        int requestsPerMinute();

        /** Requests of one tenant open at once on this replica. */
        @WithDefault("64")
        int inFlight();

        /** Agents one request of a tenant may ask for. */
        @WithDefault("16")
        int agents();
    }

    /** Default deadlines per mode. */
    interface Deadlines {
        @WithDefault("30s")
        Duration instant();

        @WithDefault("60s")
        Duration thinking();

        @WithDefault("120s")
        Duration contemplating();
    }

    /** The bounded, time-limited cache of finished results and the replay of {@code conclave.results}. */
    interface Results {
        /**
         * Bytes of results kept, as their deflated JSON: a result carries every agent's answer, so its size follows
         * the model's output, and a bound by count is no bound on memory. The oldest go first.
         */
        @WithDefault("16M")
        MemorySize cacheMaxBytes();

        /** How long a result is kept after it arrived. */
        @WithDefault("1h")
        Duration cacheTtl();

        /** How far back a replica reads {@code conclave.results} when it is assigned a partition. */
        @WithDefault("1h")
        Duration replayWindow();
    }

    /**
     * Limits on images. Decoded sizes: a base64 data URL is a third larger, so
     * {@code quarkus.http.limits.max-body-size} and the Kafka record limits of {@code conclave.requests} must leave
     * room for {@code max-total-bytes} × 4/3 plus the text.
     */
    interface Images {
        /** Bytes of one image, decoded. */
        @WithDefault("5M")
        MemorySize maxBytes();

        /** Bytes of all images of one request together, decoded. */
        @WithDefault("10M")
        MemorySize maxTotalBytes();

        /** Image parts per request, data and https URLs alike. */
        @WithDefault("16")
        int maxCount();
    }
}
