package io.conclave.worker.agent;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskFailed;
import io.conclave.contracts.TokenUsage;
import io.conclave.worker.compress.AnswerExtractor;
import io.conclave.worker.compress.CompressedNotes;
import io.conclave.worker.compress.ThoughtCompressor;
import io.conclave.worker.compress.TokenEstimate;
import io.conclave.worker.llm.LlmCallException;
import io.conclave.worker.llm.LlmProvider;
import io.conclave.worker.llm.LlmProviders;
import io.conclave.worker.llm.LlmRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs one sub-task to its outcome: skips it when its deadline has passed, calls the agent's provider
 * (streaming, and streaming the text on as progress when it is the client's reply), compresses the output into
 * notes and builds the {@link SubtaskCompleted} — or a {@link SubtaskFailed} with a reason a person can act on.
 * It never invents an answer. Non-blocking: everything runs on the caller's Vert.x context.
 */
@ApplicationScoped
public class SubtaskRunner {

    private static final Logger LOG = Logger.getLogger(SubtaskRunner.class);
    static final String DEFAULT_PROVIDER = "default";

    private final LlmProviders providers;
    private final ProgressPublisher progress;
    private final WorkerMetrics metrics;
    private final ThoughtCompressor compressor;
    private final Duration deadlineGrace;
    private final Clock clock;

    SubtaskRunner(LlmProviders providers, ProgressPublisher progress, WorkerMetrics metrics, WorkerConfig config,
            Clock clock) {
        this.providers = providers;
        this.progress = progress;
        this.metrics = metrics;
        this.compressor = new ThoughtCompressor(config.notesBudgetTokens());
        this.deadlineGrace = config.deadlineGrace();
        this.clock = clock;
    }

    /** @return the sub-task's outcome; never fails */
    public Uni<JoinEvent> run(SubtaskAssigned task) {
        long takenAt = System.nanoTime();
        if (task.deadline() != null && !clock.instant().isBefore(task.deadline())) {
            return Uni.createFrom().item(failed(task, "deadline passed before a worker took the sub-task", takenAt));
        }
        String problem = SubtaskPrompt.problem(task);
        if (problem != null) {
            return Uni.createFrom().item(failed(task, "the sub-task cannot be run: " + problem, takenAt));
        }
        String providerName = providerName(task);
        Optional<LlmProvider> provider = providers.get(providerName);
        if (provider.isEmpty()) {
            return Uni.createFrom().item(failed(task, "no LLM provider named '" + providerName
                    + "' is configured on this worker (it has: " + String.join(", ", providers.names()) + ")",
                    takenAt));
        }
        progress.started(task);
        return call(task, provider.get(), takenAt);
    }

    private Uni<JoinEvent> call(SubtaskAssigned task, LlmProvider provider, long takenAt) {
        List<ChatMessage> prompt = SubtaskPrompt.messages(task);
        String model = blank(task.agent().model()) ? provider.defaultModel() : task.agent().model();
        LlmRequest request = new LlmRequest(model, prompt, task.agent().temperature(), task.agent().maxTokens());
        DeltaBatcher deltas = task.finalReply() ? progress.deltas(task) : null;
        LOG.debugf("calling provider %s, model %s", provider.name(), model);
        long llmStart = System.nanoTime();
        Instant callDeadline = task.deadline() == null ? null : task.deadline().plus(deadlineGrace);
        return provider.stream(request, callDeadline)
                .onItem().invoke(chunk -> {
                    if (deltas != null) {
                        deltas.add(chunk.content());
                    }
                })
                .collect().in(LlmOutput::new, LlmOutput::add)
                .map(output -> {
                    if (deltas != null) {
                        deltas.finish();
                    }
                    return outcome(task, provider, model, prompt, output, takenAt, millisSince(llmStart));
                })
                .onFailure(LlmCallException.class)
                .recoverWithItem(failure -> failed(task, ((LlmCallException) failure).reason(), takenAt));
    }

    private JoinEvent outcome(SubtaskAssigned task, LlmProvider provider, String model, List<ChatMessage> prompt,
            LlmOutput output, long takenAt, long llmMs) {
        String text = output.text().strip();
        if (text.isEmpty()) {
            return failed(task, "provider " + provider.name() + " returned an empty answer (finish_reason "
                    + output.finishReason() + ")", takenAt);
        }
        CompressedNotes notes = compressor.compress(text);
        String answer = task.finalReply() ? text : AnswerExtractor.answer(text);
        TokenUsage usage = output.usage() != null ? output.usage() : estimate(prompt, text);
        long latencyMs = millisSince(takenAt);
        metrics.subtask(task.kind(), "completed", Duration.ofMillis(latencyMs));
        metrics.tokens(task.kind(), "prompt", usage.promptTokens());
        metrics.tokens(task.kind(), "completion", usage.completionTokens());
        metrics.tokens(task.kind(), "notes", notes.tokens());
        LOG.infof("sub-task %s completed in %d ms (LLM %d ms): %d output tokens, %d notes tokens",
                task.subtaskId(), latencyMs, llmMs, usage.completionTokens(), notes.tokens());
        return new SubtaskCompleted(task.correlationId(), UUID.randomUUID().toString(), clock.instant(),
                ConclaveEvent.SCHEMA_VERSION, task.subtaskId(), task.agent().agentId(), task.kind(),
                task.agent().role(), provider.name(), model, answer, notes.text(), usage,
                usage.completionTokens(), notes.tokens(), latencyMs, llmMs);
    }

    private SubtaskFailed failed(SubtaskAssigned task, String reason, long takenAt) {
        long latencyMs = millisSince(takenAt);
        metrics.subtask(task.kind(), "failed", Duration.ofMillis(latencyMs));
        LOG.warnf("sub-task %s failed after %d ms: %s", task.subtaskId(), latencyMs, reason);
        return new SubtaskFailed(task.correlationId(), UUID.randomUUID().toString(), clock.instant(),
                ConclaveEvent.SCHEMA_VERSION, task.subtaskId(), task.agent() == null ? null : task.agent().agentId(),
                task.kind(), task.agent() == null ? null : task.agent().role(), reason, null, latencyMs);
    }

    /** Used when the provider sends no usage chunk: {@link TokenEstimate} of the prompt and of the output. */
    private static TokenUsage estimate(List<ChatMessage> prompt, String output) {
        long promptTokens = prompt.stream().mapToLong(message -> TokenEstimate.count(message.content())).sum();
        long completionTokens = TokenEstimate.count(output);
        return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    private static String providerName(SubtaskAssigned task) {
        return task.agent() == null || blank(task.agent().provider()) ? DEFAULT_PROVIDER : task.agent().provider();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
