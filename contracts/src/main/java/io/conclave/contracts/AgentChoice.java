package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One agent a client asked for by name in {@code conclave.agents}: its role from the planner's library, and
 * optionally the model and the named provider it should call.
 *
 * @param model the upstream model name, or null for the provider's default
 * @param provider a provider configured on the workers ({@code default}, {@code fast}, …), or null for the default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentChoice(String role, String model, String provider) {
}
