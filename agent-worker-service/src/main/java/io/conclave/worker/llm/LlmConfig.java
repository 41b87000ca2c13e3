package io.conclave.worker.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The named LLM providers a plan may pick for its agents, and how hard each call tries; typed so that a
 * misspelt or missing setting stops the worker at startup instead of failing a request.
 */
@ConfigMapping(prefix = "conclave.llm")
public interface LlmConfig {

    /** Providers by name ({@code default}, {@code fast}, …), as an {@code AgentSpec.provider} names them. */
    Map<String, Provider> providers();

    Retry retry();

    /** One breaker per provider, with these settings. */
    Breaker circuitBreaker();

    /** When a provider's calls fail fast instead of piling up on a sick upstream. */
    interface Breaker {
        /** Attempts in the rolling window. */
        @WithDefault("20")
        int requestVolume();

        /** Share of provider faults (5xx, connection, timeout, broken stream) in the window that opens it. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long it stays open before one probe call is let through. */
        @WithDefault("10s")
        Duration delay();
    }

    /** One OpenAI-compatible endpoint. */
    interface Provider {
        /** The OpenAI base URL, for example {@code http://127.0.0.1:8090/v1}; {@code /chat/completions} is appended. */
        String baseUrl();

        /** Sent as {@code Authorization: Bearer <key>} when present. */
        Optional<String> apiKey();

        /** The model used when an agent names none. */
        String model();

        /** Connection pool size: at least the streams this worker runs at once against this provider. */
        @WithDefault("32")
        int maxConnections();

        /** The longest one call may take; a sub-task's deadline may shorten it. */
        @WithDefault("120s")
        Duration timeout();

        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Stream every call. By default only a call whose tokens somebody watches streams (the final reply of a
         * streaming or watched request); the others get one response body, which costs the worker and the
         * upstream a fraction of the CPU of an event per token. Set it for an upstream behind a proxy that
         * closes a connection silent for longer than a call takes.
         */
        @WithDefault("false")
        boolean alwaysStream();
    }

    /** Retries of calls that failed before their first token: 429, 5xx and connection errors. */
    interface Retry {
        @WithDefault("2")
        int maxRetries();

        /** Backoff before the first retry; doubled for each further one, then jittered. */
        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("8s")
        Duration maxBackoff();
    }
}
