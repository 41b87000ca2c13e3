package io.conclave.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveSettingsTest {

    private static final ChatRequest SLOW_AGENT = new ChatRequest("m", null, null, false, false,
            List.of(new ChatMessage("system", "You are the slow agent."), new ChatMessage("user", "Q")));

    @Test
    void jitterStaysWithinPlusMinusAndVaries() {
        LiveSettings settings = new LiveSettings(SimulatorConfig.builder().ttftMs(100).jitterMs(30).build());
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            long ttft = settings.ttftMs(SLOW_AGENT);
            assertTrue(ttft >= 70 && ttft <= 130, "ttft " + ttft);
            seen.add(ttft);
        }
        assertTrue(seen.contains(70L) && seen.contains(130L) && seen.size() > 40, "spread: " + seen.size());
    }

    @Test
    void matchingLatencyRulesAddUp() {
        LiveSettings settings = new LiveSettings(SimulatorConfig.builder().ttftMs(100).latencyRules(List.of(
                new LatencyRule("slow agent", 1000), new LatencyRule("You are", 50), new LatencyRule("absent", 7)))
                .build());
        assertEquals(1150, settings.ttftMs(SLOW_AGENT));
    }

    @Test
    void failNextComesBeforeRandomErrorsAndTheSeedRepeatsTheDraws() {
        SimulatorConfig config = SimulatorConfig.builder().failNext(List.of(500, 429)).errorRate429(0.3)
                .errorRate500(0.3).seed(7).build();
        LiveSettings first = new LiveSettings(config);
        LiveSettings second = new LiveSettings(config);
        assertEquals(OptionalInt.of(500), first.nextFailure());
        assertEquals(OptionalInt.of(429), first.nextFailure());
        assertEquals(List.of(), first.current().failNext());
        second.nextFailure();
        second.nextFailure();
        for (int i = 0; i < 50; i++) {
            assertEquals(first.nextFailure(), second.nextFailure());
        }
    }
}
