package io.conclave.contracts;

import java.time.Instant;

/** What every event on the wire carries, so it can be traced, deduplicated and evolved. */
public interface ConclaveEvent {
    /** The schema version written by this code. */
    int SCHEMA_VERSION = 1;

    String correlationId();

    String eventId();

    Instant occurredAt();

    int schemaVersion();
}
