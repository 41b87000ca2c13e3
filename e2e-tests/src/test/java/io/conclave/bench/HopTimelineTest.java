package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The hop table's arithmetic: which requests a hop counts, that a negative hop counts as what it is, a request's
 * stretches outside the model, and its LLM time read from its result.
 */
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

    @Test
    void theFanOutsFirstAndSlowestAgentsAreEachRequestsShortestAndLongestPickup() {
        HopTimeline.Trace trace = answered(1_000, 1_002, 1_003);
        trace.subtaskSent.put("a", 1_003L);
        trace.subtaskSent.put("b", 1_002L);
        trace.subtaskSent.put("c", 1_003L);
        trace.subtaskTaken.put("a", 1_009L);
        trace.subtaskTaken.put("b", 1_004L);
        trace.subtaskTaken.put("c", 1_005L);

        Map<String, long[]> hops = HopTimeline.summarize(List.of(trace));

        assertArrayEquals(new long[] {6, 6, 1}, hops.get("worker: sub-task sent → taken (slowest agent)"));
        assertArrayEquals(new long[] {2, 2, 1},
                hops.get("worker: sub-task sent → taken (first agent; not on the path)"));
    }

    @Test
    void theLegsOutsideTheModelRunFromTheGatewayToTheSlowestAgentAndFromTheLastPartialToTheReply() {
        HopTimeline.Trace trace = answered(1_002, 1_005, 1_006);
        trace.received = 1_000;
        trace.subtaskTaken.put("a", 1_009L);
        trace.subtaskTaken.put("b", 1_012L);
        trace.lastPartial = 1_700;
        trace.synthesisAssigned = 1_703;
        trace.synthesisTaken = 1_706;
        trace.synthesisDone = 1_900;
        trace.clientDone = 1_908;

        assertEquals(List.of("1000-1012", "1700-1706", "1900-1908"), spans(trace.legs()));

        trace.synthesisAssigned = 0;
        trace.synthesisTaken = 0;
        trace.synthesisDone = 0;
        trace.subtaskTaken.clear();
        assertEquals(List.of("1700-1908"), spans(trace.legs()), "no agent taken, no synthesis");
    }

    @Test
    void theCriticalPathsLlmTimeComesFromEachAnsweredRequestsResult() {
        Map<String, HopTimeline.Trace> traces = new HashMap<>();
        traces.put("a", answered(1_000, 1_002, 1_003));
        traces.put("b", answered(2_000, 2_002, 2_003));
        HopTimeline.Trace unanswered = answered(3_000, 3_002, 3_003);
        unanswered.clientDone = 0;
        traces.put("c", unanswered);
        traces.put("d", answered(4_000, 4_002, 4_003));
        HopTimeline.read(result("a", 1_690, 662), traces);
        HopTimeline.read(result("b", 2_690, 659), traces);
        HopTimeline.read(result("c", 3_690, 700), traces);

        assertEquals(662, traces.get("a").llmMs);
        assertEquals(1_690, traces.get("a").resultPublished);
        assertArrayEquals(new long[] {659, 662}, HopTimeline.criticalPathLlmMs(traces.values()),
                "c was not answered and d has no result");
    }

    @Test
    void theClientsLegsAreWhatALatencyHasBeyondTheGatewaysOwnTimeAndTheLlmTime() {
        Map<String, HopTimeline.Trace> traces = new HashMap<>();
        traces.put("a", answered(1_000, 1_002, 1_003));
        traces.put("b", answered(2_000, 2_002, 2_003));
        traces.put("c", answered(3_000, 3_002, 3_003));
        HopTimeline.read(result("a", 1_690, 660), traces);
        HopTimeline.read(result("b", 2_690, 661), traces);
        List<OpenLoad.Sample> samples = List.of(
                sample("a", 678_400_000L, 16),
                sample("b", 680_000_000L, 17),
                sample("c", 700_000_000L, 20),
                new OpenLoad.Sample(0, 690_000_000L, new OpenLoad.Outcome(false, "timeout", "a", 0, 16)),
                new OpenLoad.Sample(0, 690_000_000L, OpenLoad.Outcome.ok("b", 0)));

        assertArrayEquals(new long[] {2, 2}, HopTimeline.clientLegsMs(traces, samples),
                "c has no result, the failed call and the one without an own time are left out");
    }

    private static OpenLoad.Sample sample(String correlationId, long latencyNanos, long ownMs) {
        return new OpenLoad.Sample(0, latencyNanos, new OpenLoad.Outcome(true, null, correlationId, 0, ownMs));
    }

    private static ConsumerRecord<String, byte[]> result(String correlationId, long timestamp, long llmMs) {
        byte[] json = ("{\"correlationId\":\"" + correlationId + "\",\"llmMs\":" + llmMs + "}")
                .getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("conclave.results", 0, 0, timestamp, TimestampType.CREATE_TIME, 0, json.length,
                correlationId, json, new RecordHeaders(), Optional.empty());
    }

    private static List<String> spans(List<long[]> legs) {
        return legs.stream().map(leg -> leg[0] + "-" + leg[1]).toList();
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
