package io.conclave.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        SimulatorConfig config = new EnvironmentConfig(name -> null).read();
        assertEquals(SimulatorConfig.defaults(), config);
        assertEquals(8090, config.port());
        assertEquals(200, config.ttftMs());
        assertEquals(5, config.tokenMs());
        assertEquals(64, config.tokens());
        assertEquals(42, config.seed());
        assertEquals(1, config.retryAfterS());
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> env = Map.ofEntries(Map.entry("SIM_PORT", "0"), Map.entry("SIM_TTFT_MS", "50"),
                Map.entry("SIM_TOKEN_MS", "1"), Map.entry("SIM_JITTER_MS", "10"), Map.entry("SIM_TOKENS", "12"),
                Map.entry("SIM_MAX_CONCURRENCY", "4"), Map.entry("SIM_DISAGREE_RATE", "0.2"),
                Map.entry("SIM_ERROR_RATE_429", "0.1"), Map.entry("SIM_ERROR_RATE_500", "0.05"),
                Map.entry("SIM_RETRY_AFTER_S", "7"), Map.entry("SIM_SEED", " 9 "));
        SimulatorConfig config = new EnvironmentConfig(env::get).read();
        assertEquals(new SimulatorConfig(0, 50, 1, 10, 12, 4, 0.2, 0.1, 0.05, 7, 9,
                List.of(), List.of()), config);
    }

    @Test
    void badValuesNameTheVariable() {
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> new EnvironmentConfig(Map.of("SIM_TTFT_MS", "fast")::get).read());
        assertTrue(notNumber.getMessage().contains("SIM_TTFT_MS"), notNumber.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EnvironmentConfig(Map.of("SIM_DISAGREE_RATE", "2")::get).read());
    }
}
