package io.conclave.planner.plan;

import java.util.Objects;

/**
 * A way of looking at a problem that an agent takes on: its name in the reply, its system prompt,
 * and the temperature that suits it.
 */
public record Role(String name, double temperature, String systemPrompt) {
    public Role {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        if (temperature < 0 || temperature > 2) {
            throw new IllegalArgumentException("temperature out of [0, 2]: " + temperature);
        }
    }
}
