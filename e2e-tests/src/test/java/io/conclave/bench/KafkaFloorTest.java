package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.kafka.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark's Kafka floor on a real broker: every record arrives, after exactly seven hops. */
class KafkaFloorTest {

    @Test
    void everyRecordArrivesAfterSevenHops() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaFloor floor = new KafkaFloor(broker.bootstrapServers())) {
            OpenLoad.Run run = OpenLoad.run(50, Duration.ofMillis(400), Duration.ofSeconds(60), i -> floor.send());

            assertEquals(20, run.samples().size());
            for (OpenLoad.Sample sample : run.samples()) {
                // The receiver fails a record that reaches it after any other number of hops.
                assertTrue(sample.outcome().ok(), sample.outcome().error());
            }
        }
    }
}
