package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One tool call an agent made, in compressed form: what it asked, what came back (both cut to a few hundred
 * characters), so a client can see why an agent answered as it did without carrying whole tool outputs.
 *
 * @param tool the tool's name as offered to the model ({@code calculator}, {@code mcp.<server>.<tool>}, …)
 * @param arguments the model's JSON arguments, abbreviated
 * @param result the tool's output or the error the model was shown, abbreviated
 * @param ok whether the tool ran and returned a result (false: the model was shown an error)
 * @param latencyMs how long the tool took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolCallRecord(String tool, String arguments, String result, boolean ok, long latencyMs) {
}
