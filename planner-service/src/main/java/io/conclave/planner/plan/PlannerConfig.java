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

    /**
     * Upper bound of the max tokens of all of one plan's LLM calls together (agents and synthesis): when the
     * agents' budgets would exceed it, each agent gets an equal share of what the synthesis leaves.
     */
    @WithDefault("32768")
    int maxRequestTokens();

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

    /** The planner's own LLM call ({@code decompose}). */
    Llm llm();

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

        /** Agents that must answer for a reply (partial failure); more than the plan has means all of them. */
        @WithDefault("1")
        int minSuccessful();
    }

    /**
     * The one OpenAI-compatible endpoint the planner calls to split a request into sub-questions
     * ({@code conclave.planner.llm.*}, from {@code CONCLAVE_LLM_BASE_URL} like the workers' default provider).
     */
    interface Llm {
        @WithDefault("http://127.0.0.1:8090/v1")
        String baseUrl();

        Optional<String> apiKey();

        @WithDefault("sim-model")
        String model();

        /** Name reported in the plan's planning report and the reply. */
        @WithDefault("default")
        String provider();

        /** The longest one planning call may take; a timeout counts as an invalid plan. */
        @WithDefault("20s")
        Duration timeout();

        @WithDefault("512")
        int maxTokens();

        @WithDefault("8")
        int maxConnections();
    }
}
