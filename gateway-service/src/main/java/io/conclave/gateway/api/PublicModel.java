package io.conclave.gateway.api;

import io.conclave.contracts.Mode;
import java.util.Arrays;
import java.util.Optional;

/** The model names clients ask for, each choosing a {@link Mode} (DESIGN.md §3). */
public enum PublicModel {
    INSTANT("conclave-instant", Mode.INSTANT),
    THINKING("conclave-thinking", Mode.THINKING),
    CONTEMPLATING("conclave-contemplating", Mode.CONTEMPLATING);

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

    public static Optional<PublicModel> byId(String id) {
        return Arrays.stream(values()).filter(model -> model.id.equals(id)).findFirst();
    }
}
