package io.conclave.aggregator.join;

import static io.conclave.aggregator.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.conclave.aggregator.Fixtures;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.SubtaskCompleted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Votes under any interleaving of the plan (repeated), answers that agree only after normalisation, failures,
 * duplicates, the cancelled stragglers that workers report after an early stop, and clock ticks: exactly one
 * result per request, at most one cancellation (exactly one iff a quorum agreed before every agent reported), the
 * right status, the winning answer by the documented tie rule, and the calls saved. The expected outcome is
 * computed from the sequence alone, with its own table of what answers mean.
 */
class VotePropertyTest {

    private static final String CID = "c-vote-prop";
    private static final Instant DEADLINE = T0.plusMillis(1000);
    private static final List<Instant> FINAL_TICKS = List.of(T0.plusSeconds(10), T0.plusSeconds(100));
    /** Raw answers and what they mean: the test's own reading, independent of the normaliser's code. */
    private static final Map<String, String> MEANING = Map.of("7", "7", "7.0", "7", "**7**", "7", "8", "8",
            "Eight", "eight", "eight.", "eight");

    enum Fate { ANSWER, FAIL, SILENT, CANCELLED }

    record Step(JoinEvent event, Instant tick, int agent) {
    }

    record Scenario(PlanCreated plan, List<Step> steps) {
        @Override
        public String toString() {
            return "vote of " + plan.agents().size() + ", quorum " + plan.quorum() + ", min " + plan.minSuccessful()
                    + ": " + steps.stream().map(s -> s.tick() != null ? "tick+" + Duration.between(T0, s.tick())
                    .toMillis() : s.agent() < 0 ? "plan" : "a" + (s.agent() + 1) + "=" + describe(s.event())).toList();
        }
    }

    @Property(tries = 1000)
    void exactlyOneResultAndACancellationOnlyForAnEarlyStop(@ForAll("scenarios") Scenario scenario) {
        Join join = new Join(Duration.ofSeconds(30));
        List<Effect> effects = new ArrayList<>();
        JoinState state = null;
        Instant clock = T0;
        List<Step> steps = new ArrayList<>(scenario.steps());
        FINAL_TICKS.forEach(at -> steps.add(new Step(null, at, -1)));
        for (Step step : steps) {
            Decision decision;
            if (step.tick() != null) {
                clock = step.tick();
                decision = state == null ? null : join.onTick(state, clock);
            } else {
                decision = join.onEvent(state, step.event(), clock);
            }
            if (decision != null) {
                state = decision.change() == Decision.Change.PUT ? decision.state()
                        : decision.change() == Decision.Change.DELETE ? null : state;
                effects.addAll(decision.effects());
            }
        }
        Expected expected = Expected.of(scenario, steps);

        List<RequestCompleted> results = effects.stream().filter(Effect.Publish.class::isInstance)
                .map(e -> ((Effect.Publish) e).result()).toList();
        assertEquals(1, results.size(), "exactly one result");
        RequestCompleted result = results.get(0);
        long cancels = effects.stream().filter(Effect.Cancel.class::isInstance).count();
        assertEquals(expected.early ? 1 : 0, cancels, "cancellations");
        assertEquals(expected.status, result.status());
        assertEquals(expected.content, result.content());
        assertEquals(expected.callsSaved, result.callsSaved());
        for (int i = 0; i < scenario.plan().agents().size(); i++) {
            Fate fate = expected.counted.get(i);
            AgentStatus status = fate == null ? (expected.early ? AgentStatus.CANCELLED : AgentStatus.LATE)
                    : fate == Fate.ANSWER ? AgentStatus.COMPLETE : AgentStatus.FAILED;
            assertEquals(status, result.agents().get(i).status(), "a" + (i + 1));
        }
        assertEquals(expected.late, effects.stream().filter(Effect.Late.class::isInstance).count(), "late partials");
        assertEquals(0, effects.stream().filter(Effect.Assign.class::isInstance).count(), "no synthesis in a vote");
        assertNull(state, "deleted after the retention");
        Statistics.label("outcome").collect(expected.early ? "early stop" : result.status());
    }

    private record Expected(RequestStatus status, String content, boolean early, Integer callsSaved,
            Map<Integer, Fate> counted, long late) {

        static Expected of(Scenario scenario, List<Step> steps) {
            PlanCreated plan = scenario.plan();
            int n = plan.agents().size();
            int need = Math.max(1, plan.minSuccessful());
            Map<Integer, Fate> counted = new HashMap<>();
            Map<Integer, String> answers = new HashMap<>();
            boolean planSeen = false;
            boolean released = false;
            boolean early = false;
            long late = 0;
            for (Step step : steps) {
                if (step.tick() != null) {
                    if (planSeen && !released && !step.tick().isBefore(DEADLINE)) {
                        released = true;
                    }
                    continue;
                }
                if (step.agent() < 0) {
                    planSeen = true;
                } else if (released) {
                    late += counted.containsKey(step.agent()) ? 0 : 1;
                    continue;
                } else if (!counted.containsKey(step.agent())) {
                    counted.put(step.agent(), step.event() instanceof SubtaskCompleted ? Fate.ANSWER : Fate.FAIL);
                    if (step.event() instanceof SubtaskCompleted done) {
                        answers.put(step.agent(), done.answer());
                    }
                }
                if (planSeen && !released) {
                    if (counted.size() == n) {
                        released = true;
                    } else if (topVotes(answers) >= plan.quorum() && answers.size() >= need) {
                        released = true;
                        early = true;
                    }
                }
            }
            // Partials of agents already counted (duplicates) are never late; the rest after release are.
            if (early) {
                return new Expected(RequestStatus.COMPLETE, winner(answers, n), true, n - counted.size(), counted,
                        late);
            }
            if (answers.size() < need) {
                return new Expected(RequestStatus.FAILED, null, false, 0, counted, late);
            }
            RequestStatus status = answers.size() == n ? RequestStatus.COMPLETE : RequestStatus.PARTIAL;
            return new Expected(status, winner(answers, n), false, 0, counted, late);
        }

        private static int topVotes(Map<Integer, String> answers) {
            Map<String, Integer> votes = new HashMap<>();
            answers.values().forEach(a -> votes.merge(MEANING.get(a), 1, Integer::sum));
            return votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        /** Most votes; on a tie, the meaning whose first supporter is first in plan order; in its words. */
        private static String winner(Map<Integer, String> answers, int n) {
            Map<String, Integer> votes = new LinkedHashMap<>();
            Map<String, String> firstWords = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String answer = answers.get(i);
                if (answer != null) {
                    votes.merge(MEANING.get(answer), 1, Integer::sum);
                    firstWords.putIfAbsent(MEANING.get(answer), answer);
                }
            }
            String best = null;
            for (Map.Entry<String, Integer> entry : votes.entrySet()) {
                if (best == null || entry.getValue() > votes.get(best)) {
                    best = entry.getKey();
                }
            }
            return firstWords.get(best);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.integers().between(1, 6).flatMap(n -> Combinators.combine(
                        Arbitraries.integers().between(1, n),
                        Arbitraries.frequency(Tuple.of(4, 1), Tuple.of(1, 2)),
                        fates().list().ofSize(n),
                        Arbitraries.of(List.copyOf(MEANING.keySet())).list().ofSize(n),
                        Arbitraries.integers().between(1, 3).list().ofSize(n),
                        Arbitraries.longs().between(0, 1300).list().ofMaxSize(3),
                        Arbitraries.integers().between(1, 2))
                .flatAs((quorum, min, fates, answers, copies, ticks, planCopies) -> {
                    PlanCreated plan = Fixtures.vote(CID, n, quorum, Math.min(min, n), DEADLINE);
                    List<Step> events = new ArrayList<>();
                    for (int copy = 0; copy < planCopies; copy++) {
                        events.add(new Step(plan, null, -1));
                    }
                    for (int i = 0; i < n; i++) {
                        String agentId = "a" + (i + 1);
                        for (int copy = 0; copy < copies.get(i); copy++) {
                            JoinEvent event = switch (fates.get(i)) {
                                case ANSWER -> Fixtures.completed(CID, agentId, answers.get(i));
                                case FAIL -> Fixtures.failed(CID, agentId, "upstream 500");
                                case CANCELLED -> Fixtures.failed(CID, agentId, "cancelled: decided early");
                                case SILENT -> null;
                            };
                            if (event != null) {
                                events.add(new Step(event, null, i));
                            }
                        }
                    }
                    ticks.forEach(t -> events.add(new Step(null, T0, -1)));
                    List<Long> times = ticks.stream().sorted().toList();
                    return Arbitraries.shuffle(events).map(order -> {
                        List<Step> timed = new ArrayList<>();
                        int next = 0;
                        for (Step step : order) {
                            timed.add(step.tick() != null ? new Step(null, T0.plusMillis(times.get(next++)), -1)
                                    : step);
                        }
                        return new Scenario(plan, timed);
                    });
                }));
    }

    private static Arbitrary<Fate> fates() {
        return Arbitraries.frequency(Tuple.of(8, Fate.ANSWER), Tuple.of(1, Fate.FAIL), Tuple.of(1, Fate.SILENT),
                Tuple.of(2, Fate.CANCELLED));
    }

    private static String describe(JoinEvent event) {
        return event instanceof SubtaskCompleted done ? done.answer() : "failed";
    }
}
