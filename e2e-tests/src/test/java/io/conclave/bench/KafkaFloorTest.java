package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.kafka.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's Kafka floor on a real broker: every record arrives, after exactly as many hops as asked, and the
 * contemplating path's pauses are made and taken out of the latency.
 */
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

    @Test
    void theContemplatingPathPausesTwiceAndItsLatencyLeavesThePausesOut() throws Exception {
        Duration pause = Duration.ofMillis(250);
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaFloor floor = KafkaFloor.asContemplating(broker.bootstrapServers(), pause)) {
            OpenLoad.Run run = OpenLoad.run(50, Duration.ofMillis(400), Duration.ofSeconds(60), i -> floor.send());
            OpenLoad.Run withoutPauses = floor.withoutPauses(run);

            assertEquals(20, run.samples().size());
            for (int i = 0; i < run.samples().size(); i++) {
                OpenLoad.Sample sample = run.samples().get(i);
                assertTrue(sample.outcome().ok(), KafkaFloor.CONTEMPLATING + " hops: " + sample.outcome().error());
                long pauses = 2 * pause.toNanos();
                assertTrue(sample.latencyNanos() >= pauses, "paused twice: " + sample.latencyNanos());
                long hopsAlone = withoutPauses.samples().get(i).latencyNanos();
                assertTrue(hopsAlone >= 0 && hopsAlone <= sample.latencyNanos() - pauses,
                        hopsAlone + " ns of " + sample.latencyNanos());
            }
        }
    }
}
