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

/** The publishing order: the plan acknowledged before any sub-task, the request done only when all are. */
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
    void noSubtaskIsSentBeforeThePlanIsAcknowledged() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(3, Strategy.VOTE), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        assertEquals(1, log.size(), "only the plan before its ack: " + log);
        RecordingEmitter.Sent plan = log.get(0);
        assertEquals(Channels.JOIN, plan.channel());
        assertEquals("c-9", plan.key());
        assertInstanceOf(PlanCreated.class, plan.payload());
        done.assertNotTerminated();

        plan.acknowledge();

        assertEquals(List.of(Channels.JOIN, Channels.SUBTASKS, Channels.SUBTASKS, Channels.SUBTASKS, Channels.PROGRESS),
                log.stream().map(RecordingEmitter.Sent::channel).toList());
        assertEquals(List.of("c-9.a1", "c-9.a2", "c-9.a3", "c-9"),
                log.stream().skip(1).map(RecordingEmitter.Sent::key).toList());
    }

    @Test
    void theRequestIsDoneOnlyWhenEverySendIsAcknowledged() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(2, null), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        log.get(0).acknowledge();
        List<RecordingEmitter.Sent> fanOut = log.subList(1, log.size());
        for (RecordingEmitter.Sent sent : fanOut) {
            done.assertNotTerminated();
            sent.acknowledge();
        }
        done.assertCompleted();
        assertEquals(1.0, registry.get("conclave.plans").tags("mode", "contemplating", "strategy", "synthesize")
                .counter().count());
    }

    @Test
    void aFailedPlanSendFailsTheRequestAndSendsNoSubtask() {
        UniAssertSubscriber<Void> done = dispatcher.onRequest(request(2, null), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        log.get(0).fail(brokerDown);

        assertSame(brokerDown, done.assertFailedWith(IllegalStateException.class).getFailure());
        assertEquals(1, log.size());
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
