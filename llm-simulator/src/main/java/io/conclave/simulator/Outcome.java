package io.conclave.simulator;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a chat call ended, as reported in {@code /sim/stats}. */
enum Outcome {
    COMPLETED, CANCELLED, ERROR429, ERROR500;

    @JsonValue
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Outcome ofStatus(int status) {
        return status == 429 ? ERROR429 : ERROR500;
    }
}
