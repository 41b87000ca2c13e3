package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The planner's own LLM calls for one plan ({@code decompose} asks a model for sub-questions), so the
 * request's usage counts them and a fallback is reported rather than hidden.
 *
 * @param calls LLM calls made (a rejected plan is retried once)
 * @param usage tokens of those calls
 * @param fallback why the planner fell back to parallel roles, or null when the LLM's plan was used
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanningReport(String provider, String model, int calls, TokenUsage usage, long latencyMs,
        String fallback) {
}
