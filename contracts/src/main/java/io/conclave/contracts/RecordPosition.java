package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where one Kafka record lies, so a large payload is read from the record that carries it instead of being copied
 * into every event that needs it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordPosition(String topic, int partition, long offset) {
}
