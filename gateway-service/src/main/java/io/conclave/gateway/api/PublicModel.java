package io.conclave.gateway.api;

import io.conclave.contracts.Mode;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The model names clients ask for, each choosing a {@link Mode} (DESIGN.md §3). */
public enum PublicModel {
    INSTANT("conclave-instant", Mode.INSTANT),
    THINKING("conclave-thinking", Mode.THINKING),
    CONTEMPLATING("conclave-contemplating", Mode.CONTEMPLATING);

    /** The model name that leaves the choice of mode to {@code reasoning_effort}. */
    public static final String GENERIC_ID = "conclave";

    /** The {@code reasoning_effort} values accepted (OpenAI's). */
    public static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high");

    private final String id;
    private final Mode mode;

    PublicModel(String id, Mode mode) {
        this.id = id;
        this.mode = mode;
    }

    /** The name in the API, e.g. {@code conclave-instant}. */
    public String id() {
        return id;
    }

    public Mode mode() {
        return mode;
    }

    /** low and minimal → instant, medium → thinking, high → contemplating. */
    public static PublicModel byEffort(String effort) {
        return switch (effort) {
            case "minimal", "low" -> INSTANT;
            case "medium" -> THINKING;
            case "high" -> CONTEMPLATING;
            default -> throw new IllegalArgumentException("not a reasoning effort: " + effort);
        };
    }

    public static Optional<PublicModel> byId(String id) {
        return Arrays.stream(values()).filter(model -> model.id.equals(id)).findFirst();
    }
}
