package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.kafka.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark's Kafka floor on a real broker: every record arrives, after exactly as many hops as asked. */
class KafkaFloorTest {

    @Test
    void everyRecordArrivesAfterSevenHopsOrAfterOne() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            for (int hops : new int[] {KafkaFloor.CHAIN, 1}) {
                try (KafkaFloor floor = new KafkaFloor(broker.bootstrapServers(), hops)) {
                    OpenLoad.Run run = OpenLoad.run(50, Duration.ofMillis(400), Duration.ofSeconds(60),
                            i -> floor.send());

                    assertEquals(20, run.samples().size());
                    for (OpenLoad.Sample sample : run.samples()) {
                        // The receiver fails a record that reaches it after any other number of hops.
                        assertTrue(sample.outcome().ok(), hops + " hops: " + sample.outcome().error());
                    }
                }
            }
        }
    }
}
