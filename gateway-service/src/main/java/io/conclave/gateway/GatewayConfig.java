package io.conclave.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The gateway's settings: how long a client waits for its answer and how long finished results
 * are kept, so they can be tuned per deployment (and shortened in tests) without a rebuild.
 */
@ConfigMapping(prefix = "conclave.gateway")
public interface GatewayConfig {

    /** The tenant every request belongs to until API keys map to tenants. */
    @WithDefault("local")
    String tenant();

    /** Time a client waits beyond its request's deadline, for the join and the result's way back. */
    @WithDefault("15s")
    Duration resultGrace();

    /** Each mode's deadline when the client gives none; mirrors the planner's defaults. */
    Deadlines deadline();

    /** Finished results kept in memory. */
    Results results();

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
        /** Most results kept; the oldest go first. */
        @WithDefault("10000")
        long cacheSize();

        /** How long a result is kept after it arrived. */
        @WithDefault("1h")
        Duration cacheTtl();

        /** How far back a replica reads {@code conclave.results} when it is assigned a partition. */
        @WithDefault("1h")
        Duration replayWindow();
    }
}
