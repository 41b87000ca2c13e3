package io.conclave.planner.plan;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The planner's defaults, so that what a client leaves out of a request is decided in one place
 * and can be changed per deployment without a rebuild.
 */
@ConfigMapping(prefix = "conclave.planner")
public interface PlannerConfig {

    /** Defaults of {@code conclave-instant}. */
    Instant instant();

    /** Defaults of {@code conclave-thinking}. */
    Thinking thinking();

    /** Defaults of {@code conclave-contemplating}. */
    Contemplating contemplating();

    /** Upper bound of the agents of one plan, whatever the client asks for. */
    @WithDefault("16")
    int maxAgents();

    /** Share of a request's deadline reserved for the synthesis, in [0, 1). */
    @WithDefault("0.25")
    double synthesisShare();

    /** Max tokens of each agent's answer. */
    @WithDefault("1024")
    int agentMaxTokens();

    /** Max tokens of the synthesis, the client's reply in contemplating mode. */
    @WithDefault("1024")
    int synthesisMaxTokens();

    /** The named LLM provider every agent calls. */
    @WithDefault("default")
    String provider();

    /** The upstream model; empty means the provider's default. */
    Optional<String> model();

    /** Instant mode: one assistant. */
    interface Instant {
        @WithDefault("30s")
        Duration deadline();
    }

    /** Thinking mode: one agent that reasons step by step. */
    interface Thinking {
        @WithDefault("60s")
        Duration deadline();
    }

    /** Contemplating mode: several agents and a join. */
    interface Contemplating {
        @WithDefault("120s")
        Duration deadline();

        /** Agents when the client does not say. */
        @WithDefault("4")
        int agents();
    }
}
