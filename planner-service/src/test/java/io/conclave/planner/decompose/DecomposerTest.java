package io.conclave.planner.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.TokenUsage;
import io.conclave.planner.plan.Decomposition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planning call: schema check, one retry with the reason, then a reported fallback. */
class DecomposerTest {

    private static final TokenUsage TEN = new TokenUsage(8, 2, 10);
    private final List<List<ChatMessage>> prompts = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aValidPlanIsUsedAfterOneCall() {
        Decomposition result = decompose(answer("{\"sub_questions\": [\"a?\", \"b?\"]}"));
        assertEquals(List.of("a?", "b?"), result.subQuestions());
        assertEquals(1, result.report().calls());
        assertEquals(10, result.report().usage().totalTokens());
        assertNull(result.report().fallback());
        assertTrue(prompts.get(0).get(0).content().contains(DecomposePrompt.MARKER));
        assertTrue(prompts.get(0).get(0).content().contains("at most 4"));
    }

    @Test
    void anInvalidPlanIsRetriedOnceWithTheReason() {
        Decomposition result = decompose(answer("not json"), answer("```json\n{\"sub_questions\": [\"a?\"]}\n```"));
        assertEquals(List.of("a?"), result.subQuestions());
        assertEquals(2, result.report().calls());
        assertEquals(20, result.report().usage().totalTokens());
        assertTrue(prompts.get(1).get(0).content().contains("rejected: the answer is not JSON"));
    }

    @Test
    void twoInvalidPlansFallBackAndSayWhy() {
        Decomposition result = decompose(answer("{\"sub_questions\": []}"),
                answer("{\"sub_questions\": [\"a\"], \"extra\": 1}"));
        assertTrue(result.fellBack());
        assertEquals(2, result.report().calls());
        assertTrue(result.report().fallback().contains("unexpected property 'extra'"), result.report().fallback());
        assertEquals(1.0, registry.counter("conclave.planner.decompositions", "result", "fallback").count());
    }

    @Test
    void aFailedCallCountsAsARejectedPlan() {
        Decomposition result = decompose(Uni.createFrom().failure(new PlanningLlm.PlanningCallException("HTTP 500")),
                Uni.createFrom().failure(new PlanningLlm.PlanningCallException("timed out")));
        assertTrue(result.fellBack());
        assertEquals(2, result.report().calls());
        assertTrue(result.report().fallback().contains("timed out"));
    }

    @Test
    void tooManySubQuestionsAreRejected() {
        Decomposition result = decompose(answer("{\"sub_questions\": [\"1\", \"2\", \"3\", \"4\", \"5\"]}"),
                answer("{\"sub_questions\": [\"1\", \"1\"]}"));
        assertTrue(result.fellBack());
        assertTrue(result.report().fallback().contains("repeat"), result.report().fallback());
        assertFalse(prompts.get(1).get(0).content().isBlank());
    }

    @SafeVarargs
    private Decomposition decompose(Uni<PlanningLlm.Answer>... answers) {
        Deque<Uni<PlanningLlm.Answer>> queue = new ArrayDeque<>(List.of(answers));
        Decomposer decomposer = new Decomposer(messages -> {
            prompts.add(messages);
            return queue.removeFirst();
        }, "default", "sim-model", new ObjectMapper(), registry);
        RequestSubmitted request = new RequestSubmitted("c-1", "e-1", Instant.now(), 1, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, List.of(new ChatMessage("user", "q")), 4,
                Strategy.DECOMPOSE, null, null, null, null, false);
        return decomposer.decompose(request, 4).await().atMost(Duration.ofSeconds(5));
    }

    private static Uni<PlanningLlm.Answer> answer(String text) {
        return Uni.createFrom().item(new PlanningLlm.Answer(text, TEN));
    }
}
