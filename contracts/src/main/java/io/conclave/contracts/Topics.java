package io.conclave.contracts;

/** Kafka topic names, shared by every service and by the tests (DESIGN.md §2). */
public final class Topics {
    /** {@link RequestSubmitted}, keyed by correlation ID: gateway → planner. */
    public static final String REQUESTS = "conclave.requests";
    /** {@link SubtaskAssigned}, keyed by sub-task ID: planner and aggregator → workers. */
    public static final String SUBTASKS = "conclave.subtasks";
    /** {@link JoinEvent}s, keyed by correlation ID: planner and workers → aggregator. */
    public static final String JOIN = "conclave.join";
    /** {@link RequestCompleted}, keyed by correlation ID: aggregator → every gateway replica. */
    public static final String RESULTS = "conclave.results";
    /** {@link ProgressUpdated}, keyed by correlation ID: workers and aggregator → every gateway replica. */
    public static final String PROGRESS = "conclave.progress";
    /** {@link RequestCancelled}, keyed by correlation ID: gateway and aggregator → workers and aggregator. */
    public static final String CONTROL = "conclave.control";
    /** Suffix of the dead-letter topic of each topic above. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }
}
