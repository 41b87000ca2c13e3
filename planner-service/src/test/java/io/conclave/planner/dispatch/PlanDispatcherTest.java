package io.conclave.planner.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.planner.decompose.Decomposer;
import io.conclave.planner.plan.PlanBuilder;
import io.conclave.planner.plan.RoleLibrary;
import io.conclave.planner.plan.TestPlannerConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The publishing: the plan and its sub-tasks sent together, the request done only when all are acknowledged. */
class PlanDispatcherTest {

    private final List<RecordingEmitter.Sent> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PlanDispatcher dispatcher = new PlanDispatcher(
            new PlanBuilder(TestPlannerConfigs.defaults(), new RoleLibrary()),
            new Decomposer(messages -> Uni.createFrom().failure(new IllegalStateException("no planning call here")),
                    "default", "sim-model", new ObjectMapper(), new SimpleMeterRegistry()),
            new RecordingEmitter<JoinEvent>(Channels.JOIN, log),
            new RecordingEmitter<SubtaskAssigned>(Channels.SUBTASKS, log),
            new RecordingEmitter<ProgressUpdated>(Channels.PROGRESS, log),
            registry);

    @Test
    void thePlanAndItsSubtasksAreSentTogetherWithoutWaitingForAnAck() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(3, Strategy.VOTE), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        assertEquals(List.of(Channels.JOIN, Channels.SUBTASKS, Channels.SUBTASKS, Channels.SUBTASKS, Channels.PROGRESS),
                log.stream().map(RecordingEmitter.Sent::channel).toList(), "all sent before any ack: " + log);
        assertEquals(List.of("c-9", "c-9.a1", "c-9.a2", "c-9.a3", "c-9"),
                log.stream().map(RecordingEmitter.Sent::key).toList());
        assertInstanceOf(PlanCreated.class, log.get(0).payload());
        done.assertNotTerminated();
    }

    @Test
    void theRequestIsDoneOnlyWhenEverySendIsAcknowledged() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(2, null), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(4, log.size(), "the plan, two sub-tasks, the planned event: " + log);
        for (RecordingEmitter.Sent sent : log) {
            done.assertNotTerminated();
            sent.acknowledge();
        }
        done.assertCompleted();
        assertEquals(1.0, registry.get("conclave.plans").tags("mode", "contemplating", "strategy", "synthesize")
                .counter().count());
    }

    @Test
    void aFailedPlanSendFailsTheRequestEvenWhenItsSubtasksWereAcknowledged() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(2, null), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        log.subList(1, log.size()).forEach(RecordingEmitter.Sent::acknowledge);
        done.assertNotTerminated();
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        log.get(0).fail(brokerDown);

        assertSame(brokerDown, done.assertFailedWith(IllegalStateException.class).getFailure());
        assertTrue(registry.find("conclave.plans").counters().isEmpty());
    }

    @Test
    void aFailedSubtaskSendFailsTheRequest() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(2, null), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        log.get(0).acknowledge();
        log.get(1).acknowledge();
        log.get(2).fail(new IllegalStateException("not leader"));
        done.assertFailedWith(IllegalStateException.class, "not leader");
    }

    @Test
    void anUnplannableRequestFailsWithoutSendingAnything() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(null, null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        done.assertFailedWith(IllegalArgumentException.class);
        assertFalse(log.stream().findAny().isPresent());
    }

    private static RequestSubmitted request(int agents, Strategy strategy) {
        return new RequestSubmitted("c-9", "e-9", Instant.now(), 1, "local", "conclave-contemplating",
                Mode.CONTEMPLATING, List.of(new ChatMessage("user", "hi")), agents, strategy, null, null, null, null,
                false);
    }
}
