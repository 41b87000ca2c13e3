package io.conclave.worker.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskFailed;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.ToolCallRecord;
import io.conclave.contracts.TokenUsage;
import io.conclave.worker.cancel.CancelRegistry;
import io.conclave.worker.compress.CompressedNotes;
import io.conclave.worker.compress.ThoughtCompressor;
import io.conclave.worker.compress.TokenEstimate;
import io.conclave.worker.image.RequestImages;
import io.conclave.worker.llm.LlmCallException;
import io.conclave.worker.llm.LlmProvider;
import io.conclave.worker.llm.LlmProviders;
import io.conclave.worker.llm.LlmMessage;
import io.conclave.worker.llm.LlmRequest;
import io.conclave.worker.llm.ToolCall;
import io.conclave.worker.llm.ToolSpec;
import io.conclave.worker.tool.Tool;
import io.conclave.worker.tool.ToolConfig;
import io.conclave.worker.tool.ToolException;
import io.conclave.worker.tool.Tools;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
    /** Requests cancelled on conclave.control (issue 4): queued sub-tasks skip, running calls are aborted. */
    @Inject
    CancelRegistry cancels;
    /** The images an agent's messages refer to, read once per request from its record (issue 3). */
    @Inject
    RequestImages images;

    /** Tool calls are spans of the sub-task's trace (its span is current on the sub-task's context). */
    @Inject
    Tracer tracer;
    private final Tools tools;
    private final ToolConfig toolConfig;
    private final ObjectMapper mapper;

    SubtaskRunner(LlmProviders providers, ProgressPublisher progress, WorkerMetrics metrics, WorkerConfig config,
            Clock clock, Tools tools, ObjectMapper mapper) {
        this.tools = tools;
        this.toolConfig = tools.config();
        this.mapper = mapper;
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
        Optional<String> cancelled = cancels.cancelled(task.correlationId());
        if (cancelled.isPresent()) {
            cancels.skipped();
            return Uni.createFrom().item(failed(task, "cancelled: " + cancelled.get(), takenAt));
        }
        progress.started(task);
        Uni<JoinEvent> outcome = withImages(task)
                .onFailure().transform(ImagesUnavailable::new)
                .chain(resolved -> call(resolved, provider.get(), takenAt))
                .onFailure(ImagesUnavailable.class).recoverWithItem(failure -> failed(task,
                        "the images of its request could not be read: " + failure.getCause().getMessage(), takenAt));
        return cancels.guard(task.correlationId(), outcome, reason -> failed(task, "cancelled: " + reason, takenAt));
    }

    /** Why a sub-task's images could not be given to it. */
    private static final class ImagesUnavailable extends RuntimeException {
        ImagesUnavailable(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * The task with the images its messages refer to, back on the caller's Vert.x context. A task without image
     * references is returned as it is.
     */
    private Uni<SubtaskAssigned> withImages(SubtaskAssigned task) {
        if (task.kind() != SubtaskKind.AGENT || !RequestImages.refersToImages(task)) {
            return Uni.createFrom().item(task);
        }
        Context context = Vertx.currentContext();
        Executor back = context == null ? Runnable::run : command -> context.runOnContext(ignored -> command.run());
        return Uni.createFrom().completionStage(() -> images.resolve(task))
                .emitOn(back)
                .map(messages -> new SubtaskAssigned(task.correlationId(), task.eventId(), task.occurredAt(),
                        task.schemaVersion(), task.subtaskId(), task.kind(), task.mode(), task.agent(), messages,
                        task.notes(), task.finalReply(), task.deadline(), task.imagesAt(), task.watched()));
    }

    private Uni<JoinEvent> call(SubtaskAssigned task, LlmProvider provider, long takenAt) {
        List<ChatMessage> prompt = SubtaskPrompt.messages(task);
        String model = blank(task.agent().model()) ? provider.defaultModel() : task.agent().model();
        List<ToolSpec> offered = task.kind() == SubtaskKind.AGENT ? tools.specs() : List.of();
        ToolLoop loop = new ToolLoop(task, provider, model, prompt, offered,
                task.deadline() == null ? null : task.deadline().plus(deadlineGrace),
                task.finalReply() ? progress.deltas(task) : null, Vertx.currentContext());
        LOG.debugf("calling provider %s, model %s, %d tools offered", provider.name(), model, offered.size());
        return turn(loop, 0)
                .map(output -> {
                    if (loop.deltas != null) {
                        loop.deltas.finish();
                    }
                    return outcome(loop, output, takenAt);
                })
                .onFailure(LlmCallException.class)
                .recoverWithItem(failure -> failed(task, ((LlmCallException) failure).reason(), takenAt));
    }

    /**
     * One model turn. While turns are left ({@code conclave.tools.max-steps}), a turn that asks for tools gets
     * their results and the next turn; the turn after the last allowed one is sent with {@code tool_choice: none},
     * so the model must answer in text.
     */
    private Uni<LlmOutput> turn(ToolLoop loop, int step) {
        boolean toolsAllowed = !loop.offered.isEmpty() && step < toolConfig.maxSteps();
        // Streamed only when somebody watches the tokens: the final reply of a watched request.
        LlmRequest request = new LlmRequest(loop.model, loop.messages, loop.task.agent().temperature(),
                loop.task.agent().maxTokens(), loop.offered, !loop.offered.isEmpty() && !toolsAllowed,
                loop.deltas != null);
        long start = System.nanoTime();
        return loop.provider.stream(request, loop.deadline)
                .onItem().invoke(chunk -> {
                    if (loop.deltas != null) {
                        loop.deltas.add(chunk.content());
                    }
                })
                .collect().in(LlmOutput::new, LlmOutput::add)
                .chain(output -> {
                    loop.llmNanos += System.nanoTime() - start;
                    loop.add(output.usage());
                    List<ToolCall> calls = output.toolCalls();
                    if (calls.isEmpty() || !toolsAllowed) {
                        return Uni.createFrom().item(output);
                    }
                    loop.messages.add(LlmMessage.askingForTools(output.text(), calls));
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (ToolCall call : calls) {
                        all = all.chain(() -> runTool(loop, call));
                    }
                    return all.chain(() -> turn(loop, step + 1));
                });
    }

    /** Runs one tool call; whatever happens, the model gets a result (the error, if it failed) and the loop goes on. */
    private Uni<Void> runTool(ToolLoop loop, ToolCall call) {
        long start = System.nanoTime();
        Span span = tracer.spanBuilder("execute_tool " + call.name())
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", call.name())
                .startSpan();
        Duration timeout = toolTimeout(loop.deadline);
        return invoke(call)
                .ifNoItem().after(timeout).failWith(() -> new ToolException("tool " + call.name()
                        + " gave no result within " + timeout.toMillis() + " ms"))
                .map(result -> new ToolResult(result, true))
                .onFailure().recoverWithItem(failure -> {
                    if (!(failure instanceof ToolException)) {
                        LOG.warnf(failure, "tool %s failed unexpectedly", call.name());
                    }
                    String message = failure.getMessage() == null ? failure.getClass().getSimpleName()
                            : failure.getMessage();
                    return new ToolResult("error: " + message, false);
                })
                .emitOn(loop.executor())
                .invoke(result -> {
                    long ms = millisSince(start);
                    loop.messages.add(LlmMessage.toolResult(call.id(), cut(result.text(), toolConfig.resultMaxChars())));
                    loop.records.add(new ToolCallRecord(call.name(), cut(call.arguments(), toolConfig.recordMaxChars()),
                            cut(result.text(), toolConfig.recordMaxChars()), result.ok(), ms));
                    metrics.toolCall(call.name(), result.ok(), Duration.ofMillis(ms));
                    if (!result.ok()) {
                        span.setStatus(StatusCode.ERROR, cut(result.text(), 200));
                    }
                    span.end();
                    LOG.infof("tool %s %s in %d ms", call.name(), result.ok() ? "answered" : "failed", ms);
                })
                .replaceWithVoid();
    }

    private Uni<String> invoke(ToolCall call) {
        Optional<Tool> tool = tools.get(call.name());
        if (tool.isEmpty()) {
            return Uni.createFrom().failure(new ToolException("no tool named '" + call.name() + "' is offered"));
        }
        JsonNode arguments;
        try {
            arguments = call.arguments().isBlank() ? mapper.createObjectNode() : mapper.readTree(call.arguments());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new ToolException("the arguments are not valid JSON: "
                    + cut(call.arguments(), 200)));
        }
        if (arguments == null || !arguments.isObject()) {
            return Uni.createFrom().failure(new ToolException("the arguments must be a JSON object"));
        }
        try {
            return tool.get().call(arguments);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Duration toolTimeout(Instant deadline) {
        Duration timeout = toolConfig.timeout();
        if (deadline != null) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.compareTo(timeout) < 0) {
                timeout = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
            }
        }
        return timeout;
    }

    private JoinEvent outcome(ToolLoop loop, LlmOutput output, long takenAt) {
        SubtaskAssigned task = loop.task;
        LlmProvider provider = loop.provider;
        String text = output.text().strip();
        if (text.isEmpty()) {
            String why = output.toolCalls().isEmpty()
                    ? "provider " + provider.name() + " returned an empty answer (finish_reason "
                            + output.finishReason() + ")"
                    : "provider " + provider.name() + " kept asking for tools after " + toolConfig.maxSteps()
                            + " tool turns (conclave.tools.max-steps) and gave no answer";
            return failed(task, why, takenAt);
        }
        CompressedNotes notes = compressor.compress(text);
        String answer = task.finalReply() ? text : notes.answer();
        TokenUsage usage = loop.usage != null ? loop.usage : estimate(loop.prompt, text);
        long latencyMs = millisSince(takenAt);
        long llmMs = loop.llmNanos / 1_000_000;
        metrics.subtask(task.kind(), "completed", Duration.ofMillis(latencyMs));
        metrics.tokens(task.kind(), "prompt", usage.promptTokens());
        metrics.tokens(task.kind(), "completion", usage.completionTokens());
        metrics.tokens(task.kind(), "notes", notes.tokens());
        // Debug, not info: a line per agent call was 6% of the worker's CPU at 100 requests/s (formatting, not I/O;
        // docs/benchmarks.md, round nine). The metrics above count every sub-task, the aggregator logs each result.
        LOG.debugf("sub-task %s completed in %d ms (LLM %d ms, %d tool calls): %d output tokens, %d notes tokens",
                task.subtaskId(), latencyMs, llmMs, loop.records.size(), usage.completionTokens(), notes.tokens());
        return new SubtaskCompleted(task.correlationId(), UUID.randomUUID().toString(), clock.instant(),
                ConclaveEvent.SCHEMA_VERSION, task.subtaskId(), task.agent().agentId(), task.kind(),
                task.agent().role(), provider.name(), loop.model, answer, notes.text(), usage,
                usage.completionTokens(), notes.tokens(), latencyMs, llmMs,
                loop.records.isEmpty() ? null : List.copyOf(loop.records));
    }

    private static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }

    private record ToolResult(String text, boolean ok) {
    }

    /** The state of one sub-task's agent loop: the growing conversation, tool records, tokens and LLM time. */
    private static final class ToolLoop {
        final SubtaskAssigned task;
        final LlmProvider provider;
        final String model;
        final List<ChatMessage> prompt;
        final List<LlmMessage> messages;
        final List<ToolSpec> offered;
        final Instant deadline;
        final DeltaBatcher deltas;
        final Context context;
        final List<ToolCallRecord> records = new ArrayList<>();
        long llmNanos;
        TokenUsage usage;

        ToolLoop(SubtaskAssigned task, LlmProvider provider, String model, List<ChatMessage> prompt,
                List<ToolSpec> offered, Instant deadline, DeltaBatcher deltas, Context context) {
            this.task = task;
            this.provider = provider;
            this.model = model;
            this.prompt = prompt;
            this.messages = new ArrayList<>(prompt.stream().map(LlmMessage::of).toList());
            this.offered = offered;
            this.deadline = deadline;
            this.deltas = deltas;
            this.context = context;
        }

        /** Tool results come back on whatever thread the tool used (MCP: Reactor's); the loop goes on here. */
        Executor executor() {
            return context == null ? Runnable::run : command -> context.runOnContext(ignored -> command.run());
        }

        void add(TokenUsage turn) {
            if (turn == null) {
                return;
            }
            usage = usage == null ? turn : new TokenUsage(usage.promptTokens() + turn.promptTokens(),
                    usage.completionTokens() + turn.completionTokens(), usage.totalTokens() + turn.totalTokens());
        }
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
