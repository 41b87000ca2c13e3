package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hop table's arithmetic: which requests a hop counts, and that a negative hop counts as what it is. */
class HopTimelineTest {

    private static final String PLAN_TO_SUBTASKS = "planner: plan → last sub-task sent";
    private static final String PLANNER = "planner: request → plan sent";

    @Test
    void aSubtaskSentBeforeItsPlanCountsAsANegativeHopNotAsAMissingOne() {
        Map<String, long[]> hops = HopTimeline.summarize(List.of(
                answered(1_000, 1_003, 1_001),
                answered(2_000, 2_002, 2_004),
                answered(3_000, 3_002, 3_002)));

        assertArrayEquals(new long[] {0, 2, 3}, hops.get(PLAN_TO_SUBTASKS));
        assertArrayEquals(new long[] {2, 3, 3}, hops.get(PLANNER));
    }

    @Test
    void aRequestWithoutAMilestoneIsLeftOutOfThatHopOnly() {
        HopTimeline.Trace noSubtasks = answered(1_000, 1_004, 0);
        HopTimeline.Trace unanswered = answered(2_000, 2_001, 2_001);
        unanswered.clientDone = 0;

        Map<String, long[]> hops = HopTimeline.summarize(List.of(noSubtasks, unanswered,
                answered(3_000, 3_002, 3_003)));

        assertArrayEquals(new long[] {1, 1, 1}, hops.get(PLAN_TO_SUBTASKS));
        assertArrayEquals(new long[] {2, 4, 2}, hops.get(PLANNER));
        assertFalse(hops.containsKey("worker: sub-task sent → taken (slowest agent)"), "no sub-task was taken");
    }

    private static HopTimeline.Trace answered(long submitted, long planned, long lastSubtaskSent) {
        HopTimeline.Trace trace = new HopTimeline.Trace();
        trace.submitted = submitted;
        trace.planned = planned;
        trace.lastSubtaskSent = lastSubtaskSent;
        trace.clientDone = submitted + 700;
        return trace;
    }
}
