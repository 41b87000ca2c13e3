package io.conclave.aggregator.join;

import static io.conclave.aggregator.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.conclave.aggregator.Fixtures;
import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Any interleaving of a plan, its partials, duplicates (even contradicting ones), late partials,
 * the synthesis and clock ticks gives exactly one answer per request, whose status is the one
 * implied by what came before the deadlines. The expected status is computed here from the
 * sequence alone, independently of {@link Join}.
 */
class JoinPropertyTest {

    private static final String CID = "c-prop";
    private static final Duration RETENTION = Duration.ofSeconds(30);
    private static final Instant AGENTS_DEADLINE = T0.plusMillis(1000);
    private static final Instant DEADLINE = T0.plusMillis(2000);
    /** After everything: releases or fails whatever is open, then deletes it after the retention. */
    private static final List<Instant> FINAL_TICKS = List.of(T0.plusSeconds(10), T0.plusSeconds(100));

    enum Fate { COMPLETE, FAIL, SILENT }

    /** One step of a run: an event, or the wall clock reaching {@code tick}. */
    record Step(JoinEvent event, Instant tick, int agent) {
        static Step tick(Instant at) {
            return new Step(null, at, -1);
        }
    }

    record Scenario(PlanCreated plan, List<Step> steps, Fate synthesisFate, int synthesisDelay,
            boolean synthesisTwice) {
        int agents() {
            return plan.agents().size();
        }

        boolean synthesizes() {
            return plan.synthesis() != null;
        }

        @Override
        public String toString() {
            return plan.strategy() + " over " + agents() + " agents, min " + plan.minSuccessful() + ", synthesis "
                    + synthesisFate + (synthesisTwice ? " twice" : "") + " after " + synthesisDelay + " steps: "
                    + describe(steps);
        }
    }

    @Property(tries = 1000)
    @StatisticsReport(format = Histogram.class)
    void exactlyOneResultWithTheStatusImpliedByWhatCameInTime(@ForAll("scenarios") Scenario scenario) {
        Run run = new Run(scenario).play();
        Statistics.label("status").coverage(checker -> {
            for (RequestStatus status : List.of(RequestStatus.COMPLETE, RequestStatus.PARTIAL, RequestStatus.FAILED)) {
                checker.check(status).percentage(p -> p > 2);
            }
        });
        Expected expected = Expected.of(scenario, run.executed);

        List<RequestCompleted> results = run.effects(Effect.Publish.class).stream()
                .map(Effect.Publish::result)
                .toList();
        assertEquals(1, results.size(), "exactly one result");
        RequestCompleted result = results.get(0);
        assertEquals(expected.status, result.status(), () -> "status of " + describe(run.executed));
        assertEquals(expected.synthesisAsked ? 1 : 0, run.effects(Effect.Assign.class).size(), "synthesis asked for");

        for (int i = 0; i < scenario.agents(); i++) {
            AgentReport report = result.agents().get(i);
            Fate counted = expected.counted.get(i);
            AgentStatus status = counted == null ? AgentStatus.LATE
                    : counted == Fate.COMPLETE ? AgentStatus.COMPLETE : AgentStatus.FAILED;
            assertEquals(status, report.status(), "report of a" + (i + 1));
        }
        if (result.status() != RequestStatus.FAILED) {
            String answer = scenario.synthesizes() ? "synthesis" : ((SubtaskCompleted) expected.firstOfA1).answer();
            assertEquals(answer, result.content());
        }
        assertEquals(expected.latePartials, run.agentEffects(Effect.Late.class), "late partials");
        assertEquals(expected.duplicatePartials, run.agentEffects(Effect.Duplicate.class), "duplicate partials");
        assertNull(run.state, "the closed join is deleted after the retention");

        Statistics.label("status").collect(result.status());
        Statistics.label("late partials").collect(expected.latePartials > 0);
        Statistics.label("path").collect(scenario.synthesizes() ? "synthesis" : "single");
    }

    /** Plays a scenario through {@link Join} as the processor would, injecting the synthesis when asked. */
    private static final class Run {
        private final Scenario scenario;
        private final Join join = new Join(RETENTION);
        private final List<Step> executed = new ArrayList<>();
        private final List<Effect> effects = new ArrayList<>();
        private JoinState state;

        Run(Scenario scenario) {
            this.scenario = scenario;
        }

        Run play() {
            LinkedList<Step> pending = new LinkedList<>(scenario.steps());
            FINAL_TICKS.forEach(at -> pending.add(Step.tick(at)));
            Instant clock = T0;
            while (!pending.isEmpty()) {
                Step step = pending.removeFirst();
                executed.add(step);
                Decision decision;
                if (step.tick() != null) {
                    clock = step.tick();
                    decision = state == null ? null : join.onTick(state, clock);
                } else {
                    decision = join.onEvent(state, step.event(), clock);
                }
                if (decision != null) {
                    apply(decision, pending);
                }
            }
            return this;
        }

        private void apply(Decision decision, LinkedList<Step> pending) {
            switch (decision.change()) {
                case PUT -> state = decision.state();
                case DELETE -> state = null;
                case NONE -> {
                }
            }
            effects.addAll(decision.effects());
            if (decision.effects().stream().anyMatch(Effect.Assign.class::isInstance)
                    && scenario.synthesisFate() != Fate.SILENT) {
                // Before the final ticks, unless the delay says the synthesis comes after them.
                int beforeFinalTicks = Math.max(0, pending.size() - FINAL_TICKS.size());
                int at = Math.min(scenario.synthesisDelay(), beforeFinalTicks);
                pending.add(at, new Step(synthesis(scenario.synthesisFate(), "synthesis"), null, -1));
                if (scenario.synthesisTwice()) {
                    pending.add(at + 1, new Step(synthesis(Fate.COMPLETE, "second synthesis"), null, -1));
                }
            }
        }

        <E extends Effect> List<E> effects(Class<E> type) {
            return effects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        long agentEffects(Class<? extends Effect> type) {
            return effects.stream().filter(type::isInstance)
                    .filter(e -> !(e instanceof Effect.Late late && late.subtaskId().endsWith(".synthesis")))
                    .filter(e -> !(e instanceof Effect.Duplicate dup
                            && (dup.subtaskId().endsWith(".synthesis") || dup.subtaskId().equals("plan"))))
                    .count();
        }
    }

    /** What the rules say should happen, from the executed sequence alone. */
    private record Expected(RequestStatus status, boolean synthesisAsked, Map<Integer, Fate> counted,
            JoinEvent firstOfA1, long latePartials, long duplicatePartials) {

        static Expected of(Scenario scenario, List<Step> executed) {
            Map<Integer, Fate> counted = new HashMap<>();
            boolean planSeen = false;
            int releasedAt = -1;
            Instant clock = T0;
            Instant releaseClock = null;
            long late = 0;
            long partials = 0;
            JoinEvent firstOfA1 = null;
            for (int i = 0; i < executed.size(); i++) {
                Step step = executed.get(i);
                boolean released = releasedAt >= 0;
                if (step.tick() != null) {
                    clock = step.tick();
                    if (planSeen && !released && !clock.isBefore(AGENTS_DEADLINE)) {
                        releasedAt = i;
                        releaseClock = clock;
                    }
                    continue;
                }
                if (step.event() instanceof PlanCreated) {
                    planSeen = true;
                } else if (step.agent() >= 0) {
                    partials++;
                    if (!released && !counted.containsKey(step.agent())) {
                        counted.put(step.agent(), fateOf(step.event()));
                        firstOfA1 = step.agent() == 0 ? step.event() : firstOfA1;
                    } else if (!counted.containsKey(step.agent())) {
                        late++;
                    }
                }
                if (planSeen && !released && counted.size() == scenario.agents()) {
                    releasedAt = i;
                    releaseClock = clock;
                }
            }
            long duplicates = partials - counted.size() - late;
            long answered = counted.values().stream().filter(f -> f == Fate.COMPLETE).count();
            boolean everyAgentCompleted = answered == scenario.agents();
            RequestStatus success = everyAgentCompleted ? RequestStatus.COMPLETE : RequestStatus.PARTIAL;
            if (answered < Math.max(1, scenario.plan().minSuccessful())) {
                return new Expected(RequestStatus.FAILED, false, counted, firstOfA1, late, duplicates);
            }
            if (!scenario.synthesizes()) {
                return new Expected(success, false, counted, firstOfA1, late, duplicates);
            }
            if (!releaseClock.isBefore(DEADLINE)) {
                return new Expected(RequestStatus.FAILED, false, counted, firstOfA1, late, duplicates);
            }
            RequestStatus status = synthesisOutcome(executed, releasedAt, success);
            return new Expected(status, true, counted, firstOfA1, late, duplicates);
        }

        /** The first synthesis result counts if it came before the clock reached the request's deadline. */
        private static RequestStatus synthesisOutcome(List<Step> executed, int releasedAt, RequestStatus success) {
            for (Step step : executed.subList(releasedAt + 1, executed.size())) {
                if (step.tick() != null && !step.tick().isBefore(DEADLINE)) {
                    return RequestStatus.FAILED;
                }
                if (step.event() instanceof SubtaskCompleted done && done.kind() == SubtaskKind.SYNTHESIS) {
                    return success;
                }
                if (step.event() != null && step.agent() < 0 && !(step.event() instanceof PlanCreated)) {
                    return RequestStatus.FAILED;
                }
            }
            return RequestStatus.FAILED;
        }

        private static Fate fateOf(JoinEvent event) {
            return event instanceof SubtaskCompleted ? Fate.COMPLETE : Fate.FAIL;
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.of(true, false))
                .flatAs((agents, singleIfOne) -> Combinators.combine(
                        Arbitraries.integers().between(1, agents),
                        fates().list().ofSize(agents),
                        // Per reporting agent, its copies: each further one true = contradicts the first.
                        Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(3).list().ofSize(agents),
                        // Around the deadlines (1000 and 2000 ms), so either side of them is common.
                        Arbitraries.longs().between(0, 2500).list().ofMaxSize(5),
                        Arbitraries.integers().between(1, 2),
                        fates(),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false))
                        .flatAs((minSuccessful, fates, copies, ticks, planCopies, synthesisFate, delay, twice) -> {
                            PlanCreated plan = agents == 1 && singleIfOne ? Fixtures.single(CID, AGENTS_DEADLINE)
                                    : Fixtures.plan(CID, agents, minSuccessful, T0, AGENTS_DEADLINE, DEADLINE);
                            List<Step> events = events(plan, fates, copies, planCopies);
                            return Arbitraries.shuffle(withTicks(events, ticks))
                                    .map(order -> new Scenario(plan, timed(order, ticks), synthesisFate, delay, twice));
                        }));
    }

    private static Arbitrary<Fate> fates() {
        return Arbitraries.frequency(Tuple.of(6, Fate.COMPLETE), Tuple.of(2, Fate.FAIL), Tuple.of(1, Fate.SILENT));
    }

    private static List<Step> events(PlanCreated plan, List<Fate> fates, List<List<Boolean>> copies, int planCopies) {
        List<Step> events = new ArrayList<>();
        for (int copy = 0; copy < planCopies; copy++) {
            events.add(new Step(plan, null, -1));
        }
        for (int agent = 0; agent < fates.size(); agent++) {
            Fate fate = fates.get(agent);
            if (fate == Fate.SILENT) {
                continue;
            }
            List<Boolean> contradicts = copies.get(agent);
            for (int copy = 0; copy < contradicts.size(); copy++) {
                boolean complete = (fate == Fate.COMPLETE) != (copy > 0 && contradicts.get(copy));
                String agentId = "a" + (agent + 1);
                // Copies differ in answer and event ID: only the first one that arrives may count.
                JoinEvent event = complete ? Fixtures.completed(CID, agentId, "answer-" + agentId + "-" + copy)
                        : Fixtures.failed(CID, agentId, "failure-" + agentId + "-" + copy);
                events.add(new Step(event, null, agent));
            }
        }
        return events;
    }

    /** Placeholders for the ticks; {@link #timed} gives them increasing times in the shuffled order. */
    private static List<Step> withTicks(List<Step> events, List<Long> ticks) {
        List<Step> all = new ArrayList<>(events);
        ticks.forEach(t -> all.add(Step.tick(T0)));
        return all;
    }

    private static List<Step> timed(List<Step> order, List<Long> ticks) {
        List<Long> times = ticks.stream().sorted().toList();
        List<Step> steps = new ArrayList<>();
        int next = 0;
        for (Step step : order) {
            steps.add(step.tick() != null ? Step.tick(T0.plusMillis(times.get(next++))) : step);
        }
        return steps;
    }

    private static JoinEvent synthesis(Fate fate, String answer) {
        return fate == Fate.COMPLETE ? Fixtures.synthesisCompleted(CID, answer, 100)
                : Fixtures.synthesisFailed(CID, "synthesis " + answer + " failed");
    }

    private static String describe(List<Step> steps) {
        return steps.stream().map(s -> s.tick() != null ? "tick+" + Duration.between(T0, s.tick()).toMillis()
                : s.event().getClass().getSimpleName() + (s.agent() >= 0 ? "(a" + (s.agent() + 1) + ")" : ""))
                .toList().toString();
    }
}
