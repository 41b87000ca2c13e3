package io.conclave.planner.decompose;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.PlanningReport;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.TokenUsage;
import io.conclave.planner.plan.Decomposition;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The planning step of {@code decompose}: asks the LLM for independent sub-questions, checks the answer against
 * {@link DecompositionSchema}, retries once with the reason when it does not fit, and otherwise falls back to
 * parallel roles. The fallback is reported in the plan (and so in the reply); it never invents sub-questions.
 * Its {@code Uni} never fails.
 */
@Singleton
public class Decomposer {

    private static final Logger LOG = Logger.getLogger(Decomposer.class);

    private final Function<List<ChatMessage>, Uni<PlanningLlm.Answer>> llm;
    private final String provider;
    private final String model;
    private final DecompositionSchema schema;
    private final MeterRegistry registry;

    @Inject
    public Decomposer(PlanningLlm llm, ObjectMapper mapper, MeterRegistry registry) {
        this(llm::complete, llm.provider(), llm.model(), mapper, registry);
    }

    /** @param llm the planning call (a stand-in in unit tests) */
    public Decomposer(Function<List<ChatMessage>, Uni<PlanningLlm.Answer>> llm, String provider, String model,
            ObjectMapper mapper, MeterRegistry registry) {
        this.llm = llm;
        this.provider = provider;
        this.model = model;
        this.schema = new DecompositionSchema(mapper);
        this.registry = registry;
    }

    /** @param max the most sub-questions (the plan's agent count) */
    public Uni<Decomposition> decompose(RequestSubmitted request, int max) {
        long start = System.nanoTime();
        return attempt(request, max, null, new Tally())
                .map(tally -> {
                    PlanningReport report = new PlanningReport(provider, model, tally.calls, tally.usage(),
                            (System.nanoTime() - start) / 1_000_000, tally.fallback);
                    registry.counter("conclave.planner.decompositions",
                            "result", tally.fallback == null ? "planned" : "fallback").increment();
                    return new Decomposition(tally.fallback == null ? tally.questions : null, report);
                });
    }

    private Uni<Tally> attempt(RequestSubmitted request, int max, String previousProblem, Tally tally) {
        return Uni.createFrom().deferred(() -> llm.apply(DecomposePrompt.messages(request.messages(), max,
                        previousProblem)))
                .map(answer -> {
                    tally.add(answer.usage());
                    return schema.check(answer.text(), max);
                })
                .onFailure().recoverWithItem(failure -> {
                    tally.calls++;
                    return new DecompositionSchema.Checked(List.of(), failure.getMessage());
                })
                .chain(checked -> {
                    if (checked.valid()) {
                        tally.questions = checked.subQuestions();
                        return Uni.createFrom().item(tally);
                    }
                    LOG.warnf("planning call %d for %s rejected: %s", tally.calls, request.correlationId(),
                            checked.problem());
                    if (previousProblem == null) {
                        return attempt(request, max, checked.problem(), tally);
                    }
                    tally.fallback = "the planner's sub-questions were rejected twice (" + checked.problem()
                            + "); answered by parallel roles instead";
                    return Uni.createFrom().item(tally);
                });
    }

    /** Calls and tokens of one request's planning, across the retry. */
    private static final class Tally {
        int calls;
        long prompt;
        long completion;
        long total;
        List<String> questions = List.of();
        String fallback;

        void add(TokenUsage usage) {
            calls++;
            prompt += usage.promptTokens();
            completion += usage.completionTokens();
            total += usage.totalTokens();
        }

        TokenUsage usage() {
            return new TokenUsage(prompt, completion, total);
        }
    }
}
