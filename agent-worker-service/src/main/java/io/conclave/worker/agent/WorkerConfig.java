package io.conclave.worker.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

/** How one worker process runs sub-tasks. */
@ConfigMapping(prefix = "conclave.worker")
public interface WorkerConfig {

    /**
     * Sub-tasks run at once by this process, across all its partitions: a contemplating request's agents must
     * run side by side even when they land on one worker.
     */
    @WithDefault("16")
    int concurrency();

    /**
     * Vert.x event loops the sub-tasks are spread over (each sub-task stays on one); unset means as many as Quarkus
     * starts, twice the number of cores.
     */
    OptionalInt eventLoops();

    /** The most tokens (whitespace-separated words) of an agent's notes sent to the join. */
    @WithDefault("96")
    int notesBudgetTokens();

    /**
     * How long an LLM call may run past its sub-task's deadline. The aggregator's clock decides that an agent was
     * late; a worker timer firing at the same instant would race it and report a timeout failure instead.
     */
    @WithDefault("2s")
    Duration deadlineGrace();

    Deltas deltas();

    /** How agent sub-tasks get their request's images (RequestImages). */
    Images images();

    /** The request record an agent's image references point to is read once per request and kept a while. */
    interface Images {
        /** How long reading the request record may take before the sub-task fails. */
        @WithDefault("10s")
        Duration fetchTimeout();

        /** Requests whose images are kept (a request's data URLs may be megabytes). */
        @WithDefault("4")
        int cachedRequests();
    }

    /** How a final reply's tokens are batched into {@code delta} progress events. */
    interface Deltas {
        /** A batch is sent once it holds this many characters… */
        @WithDefault("32")
        int batchChars();

        /** …or once this long has passed since the last batch, whichever comes first (checked per token). */
        @WithDefault("100ms")
        Duration maxDelay();
    }
}
