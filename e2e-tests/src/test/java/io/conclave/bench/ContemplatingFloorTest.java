package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.kafka.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contemplating path's Kafka floor on a real broker: every request of four agents is answered after its six hops,
 * paused twice on its path, and its latency leaves the pauses out.
 */
class ContemplatingFloorTest {

    @Test
    void everyRequestIsAnsweredAfterSixHopsAndTwoPausesThatItsLatencyLeavesOut() throws Exception {
        Duration pause = Duration.ofMillis(250);
        try (KafkaBroker broker = KafkaBroker.start();
                ContemplatingFloor floor = new ContemplatingFloor(broker.bootstrapServers(), 4, pause)) {
            OpenLoad.Run run = OpenLoad.run(50, Duration.ofMillis(400), Duration.ofSeconds(60), i -> floor.send());
            OpenLoad.Run withoutPauses = floor.withoutPauses(run);

            assertEquals(20, run.samples().size());
            for (int i = 0; i < run.samples().size(); i++) {
                OpenLoad.Sample sample = run.samples().get(i);
                assertTrue(sample.outcome().ok(), ContemplatingFloor.HOPS + " hops: " + sample.outcome().error());
                long pauses = 2 * pause.toNanos();
                assertTrue(sample.latencyNanos() >= pauses, "paused twice: " + sample.latencyNanos());
                long hopsAlone = withoutPauses.samples().get(i).latencyNanos();
                assertTrue(hopsAlone >= 0 && hopsAlone <= sample.latencyNanos() - pauses,
                        hopsAlone + " ns of " + sample.latencyNanos());
            }
        }
    }
}
