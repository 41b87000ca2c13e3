package io.conclave.aggregator.join;

import static io.conclave.aggregator.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.aggregator.Fixtures;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vote strategy: quorum early stop with its cancellation, plurality at the end, ties, failures. */
class JoinVoteTest {

    private static final String CID = "c-vote";
    private static final Instant DEADLINE = T0.plusSeconds(30);
    private final Join join = new Join(Duration.ofMinutes(1));
    private final List<Effect> effects = new ArrayList<>();
    private JoinState state;

    @Test
    void aQuorumStopsTheVoteEarlyAndCancelsTheRest() {
        feed(Fixtures.vote(CID, 5, 3, 1, DEADLINE), Fixtures.completed(CID, "a2", "42"),
                Fixtures.completed(CID, "a4", "**42.0**"), Fixtures.completed(CID, "a1", "41"));
        assertTrue(published().isEmpty(), "2 of 5 agree: not yet");
        feed(Fixtures.completed(CID, "a5", "42."));

        RequestCompleted result = published().get(0);
        assertEquals(RequestStatus.COMPLETE, result.status());
        assertEquals("42", result.content(), "in the words of the first supporter in plan order (a2)");
        assertEquals(1, result.callsSaved());
        assertEquals(AgentStatus.CANCELLED, result.agents().get(2).status());
        assertEquals(Results.NOT_NEEDED, result.agents().get(2).reason());
        List<Effect.Cancel> cancels = effects(Effect.Cancel.class);
        assertEquals(1, cancels.size());
        assertEquals(CID, cancels.get(0).cancelled().correlationId());
        assertTrue(cancels.get(0).cancelled().reason().contains("3 of 5"), cancels.get(0).cancelled().reason());
        assertTrue(effects(Effect.Assign.class).isEmpty(), "a vote asks for no synthesis");

        feed(Fixtures.failed(CID, "a3", "cancelled: decided early"));
        assertEquals(1, published().size(), "the cancelled straggler changes nothing");
        assertEquals(1, effects(Effect.Late.class).size());
    }

    @Test
    void withoutAQuorumEveryAgentRunsAndThePluralityWins() {
        feed(Fixtures.vote(CID, 5, 3, 1, DEADLINE), Fixtures.completed(CID, "a1", "7"),
                Fixtures.completed(CID, "a2", "8"), Fixtures.completed(CID, "a3", "8"),
                Fixtures.failed(CID, "a4", "upstream 500"), Fixtures.completed(CID, "a5", "9"));
        RequestCompleted result = published().get(0);
        assertEquals(RequestStatus.PARTIAL, result.status(), "a4 failed");
        assertEquals("8", result.content());
        assertEquals(0, result.callsSaved());
        assertTrue(effects(Effect.Cancel.class).isEmpty());
    }

    @Test
    void aTieAtTheEndGoesToTheFirstSupporterInPlanOrder() {
        feed(Fixtures.vote(CID, 4, 3, 1, DEADLINE), Fixtures.completed(CID, "a4", "7"),
                Fixtures.completed(CID, "a2", "8"), Fixtures.completed(CID, "a3", "8"),
                Fixtures.completed(CID, "a1", "7"));
        assertEquals("7", published().get(0).content());
        assertEquals(RequestStatus.COMPLETE, published().get(0).status());
    }

    @Test
    void atTheDeadlineTheVoteGoesOnWithWhatCameAndNamesTheLate() {
        feed(Fixtures.vote(CID, 3, 2, 1, DEADLINE), Fixtures.completed(CID, "a1", "5"));
        apply(join.onTick(state, DEADLINE));
        RequestCompleted result = published().get(0);
        assertEquals(RequestStatus.PARTIAL, result.status());
        assertEquals("5", result.content());
        assertEquals(AgentStatus.LATE, result.agents().get(1).status());
        assertTrue(effects(Effect.Cancel.class).isEmpty(), "a deadline is not an early stop");
    }

    @Test
    void everyAgentFailingFailsTheVoteWithTheirReasonsAndNoAnswer() {
        feed(Fixtures.vote(CID, 2, 2, 1, DEADLINE), Fixtures.failed(CID, "a1", "upstream 500"),
                Fixtures.failed(CID, "a2", "timeout"));
        RequestCompleted result = published().get(0);
        assertEquals(RequestStatus.FAILED, result.status());
        assertNull(result.content());
        assertTrue(result.error().contains("a1 (role-a1): upstream 500") && result.error().contains("a2 (role-a2): timeout"),
                result.error());
    }

    @Test
    void minSuccessfulHoldsAnEarlyStopBack() {
        feed(Fixtures.vote(CID, 4, 1, 2, DEADLINE), Fixtures.completed(CID, "a1", "5"));
        assertTrue(published().isEmpty(), "quorum 1 reached, but 2 answers are needed");
        feed(Fixtures.completed(CID, "a3", "6"));
        assertEquals("5", published().get(0).content(), "tie 1:1, a1 first in plan order");
        assertEquals(2, published().get(0).callsSaved());
    }

    @Test
    void heldPartialsCountWhenThePlanArrives() {
        feed(Fixtures.completed(CID, "a1", "3"), Fixtures.completed(CID, "a2", "3"),
                Fixtures.vote(CID, 3, 2, 1, DEADLINE));
        assertEquals("3", published().get(0).content());
        assertEquals(1, effects(Effect.Cancel.class).size());
    }

    private void feed(JoinEvent... events) {
        for (JoinEvent event : events) {
            apply(join.onEvent(state, event, T0.plusSeconds(1)));
        }
    }

    private void apply(Decision decision) {
        if (decision.change() == Decision.Change.PUT) {
            state = decision.state();
        } else if (decision.change() == Decision.Change.DELETE) {
            state = null;
        }
        effects.addAll(decision.effects());
    }

    private List<RequestCompleted> published() {
        return effects(Effect.Publish.class).stream().map(Effect.Publish::result).toList();
    }

    private <E extends Effect> List<E> effects(Class<E> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
