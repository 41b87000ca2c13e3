package io.conclave.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The snake_case JSON view of the runtime-changeable settings behind {@code /sim/config}: tests and benchmarks
 * reshape latency and faults of a running simulator without restarting it. Port and seed are fixed at start.
 */
final class ConfigJson {

    private static final Map<String, BiConsumer<SimulatorConfig.Builder, JsonNode>> FIELDS = Map.ofEntries(
            Map.entry("ttft_ms", (b, v) -> b.ttftMs(integral(v, "ttft_ms"))),
            Map.entry("token_ms", (b, v) -> b.tokenMs(integral(v, "token_ms"))),
            Map.entry("jitter_ms", (b, v) -> b.jitterMs(integral(v, "jitter_ms"))),
            Map.entry("tokens", (b, v) -> b.tokens(toInt(integral(v, "tokens"), "tokens"))),
            Map.entry("max_concurrency", (b, v) -> b.maxConcurrency(toInt(integral(v, "max_concurrency"), "max_concurrency"))),
            Map.entry("disagree_rate", (b, v) -> b.disagreeRate(number(v, "disagree_rate"))),
            Map.entry("error_rate_429", (b, v) -> b.errorRate429(number(v, "error_rate_429"))),
            Map.entry("error_rate_500", (b, v) -> b.errorRate500(number(v, "error_rate_500"))),
            Map.entry("retry_after_s", (b, v) -> b.retryAfterS(toInt(integral(v, "retry_after_s"), "retry_after_s"))),
            Map.entry("fail_next", (b, v) -> b.failNext(statuses(v))),
            Map.entry("latency_rules", (b, v) -> b.latencyRules(rules(v))));

    private final ObjectMapper mapper;

    ConfigJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode toJson(SimulatorConfig config) {
        ObjectNode json = mapper.createObjectNode()
                .put("ttft_ms", config.ttftMs())
                .put("token_ms", config.tokenMs())
                .put("jitter_ms", config.jitterMs())
                .put("tokens", config.tokens())
                .put("max_concurrency", config.maxConcurrency())
                .put("disagree_rate", config.disagreeRate())
                .put("error_rate_429", config.errorRate429())
                .put("error_rate_500", config.errorRate500())
                .put("retry_after_s", config.retryAfterS());
        ArrayNode failNext = json.putArray("fail_next");
        config.failNext().forEach(failNext::add);
        ArrayNode rules = json.putArray("latency_rules");
        config.latencyRules().forEach(rule -> rules.addObject()
                .put("match", rule.match())
                .put("extra_ttft_ms", rule.extraTtftMs()));
        return json;
    }

    /**
     * Applies the fields present in {@code patch}; absent fields keep their current value.
     *
     * @throws IllegalArgumentException on an unknown field, a wrongly typed value or an invalid result
     */
    SimulatorConfig apply(SimulatorConfig current, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        SimulatorConfig.Builder builder = current.toBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            BiConsumer<SimulatorConfig.Builder, JsonNode> setter = FIELDS.get(field.getKey());
            if (setter == null) {
                throw new IllegalArgumentException("unknown config field '" + field.getKey() + "'");
            }
            setter.accept(builder, field.getValue());
        }
        return builder.build();
    }

    private static long integral(JsonNode value, String name) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return value.longValue();
    }

    private static int toInt(long value, String name) {
        if (value != (int) value) {
            throw new IllegalArgumentException(name + " is out of range");
        }
        return (int) value;
    }

    private static double number(JsonNode value, String name) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number");
        }
        return value.doubleValue();
    }

    private static List<Integer> statuses(JsonNode value) {
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode status : array(value, "fail_next")) {
            statuses.add(toInt(integral(status, "fail_next entry"), "fail_next entry"));
        }
        return statuses;
    }

    private static List<LatencyRule> rules(JsonNode value) {
        List<LatencyRule> rules = new ArrayList<>();
        for (JsonNode rule : array(value, "latency_rules")) {
            JsonNode match = rule.path("match");
            if (!match.isTextual()) {
                throw new IllegalArgumentException("latency rule 'match' must be a string");
            }
            rules.add(new LatencyRule(match.textValue(), integral(rule.path("extra_ttft_ms"), "extra_ttft_ms")));
        }
        return rules;
    }

    private static JsonNode array(JsonNode value, String name) {
        if (!value.isArray()) {
            throw new IllegalArgumentException(name + " must be an array");
        }
        return value;
    }
}
