package io.conclave.simulator;

import java.util.Locale;
import java.util.function.Function;

/**
 * Reads the standalone simulator's settings from {@code SIM_*} environment variables, so the local runner and the
 * benchmarks configure it like every other process; a system property of the same name, or its dotted lower-case
 * form ({@code -Dsim.ttft.ms=50}), wins over the environment.
 */
final class EnvironmentConfig {

    private final Function<String, String> lookup;

    EnvironmentConfig(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** Looks names up in system properties first, then in the process environment. */
    static EnvironmentConfig ofSystem() {
        return new EnvironmentConfig(name -> {
            String dotted = name.toLowerCase(Locale.ROOT).replace('_', '.');
            String value = System.getProperty(name, System.getProperty(dotted));
            return value != null ? value : System.getenv(name);
        });
    }

    /** @throws IllegalArgumentException naming the variable whose value is not a number or out of range */
    SimulatorConfig read() {
        SimulatorConfig defaults = SimulatorConfig.defaults();
        return SimulatorConfig.builder()
                .port(intValue("SIM_PORT", defaults.port()))
                .ttftMs(longValue("SIM_TTFT_MS", defaults.ttftMs()))
                .tokenMs(longValue("SIM_TOKEN_MS", defaults.tokenMs()))
                .jitterMs(longValue("SIM_JITTER_MS", defaults.jitterMs()))
                .tokens(intValue("SIM_TOKENS", defaults.tokens()))
                .maxConcurrency(intValue("SIM_MAX_CONCURRENCY", defaults.maxConcurrency()))
                .disagreeRate(doubleValue("SIM_DISAGREE_RATE", defaults.disagreeRate()))
                .errorRate429(doubleValue("SIM_ERROR_RATE_429", defaults.errorRate429()))
                .errorRate500(doubleValue("SIM_ERROR_RATE_500", defaults.errorRate500()))
                .retryAfterS(intValue("SIM_RETRY_AFTER_S", defaults.retryAfterS()))
                .seed(longValue("SIM_SEED", defaults.seed()))
                .build();
    }

    private int intValue(String name, int fallback) {
        return (int) parse(name, fallback, Integer::parseInt);
    }

    private long longValue(String name, long fallback) {
        return parse(name, fallback, Long::parseLong);
    }

    private double doubleValue(String name, double fallback) {
        return parse(name, fallback, Double::parseDouble);
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser) {
        String raw = lookup.apply(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return parser.apply(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a valid number: '" + raw + "'", e);
        }
    }
}
