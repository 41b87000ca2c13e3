package io.conclave.worker.agent;

/** The worker's messaging channels, named once for the code and the tests (topics are in {@code Topics}). */
public final class Channels {
    /** {@code conclave.subtasks} in. */
    public static final String SUBTASKS = "subtasks";
    /** {@code conclave.join} out: {@code SubtaskCompleted} and {@code SubtaskFailed}. */
    public static final String JOIN = "join";
    /** {@code conclave.progress} out: agent started/finished and a final reply's token deltas. */
    public static final String PROGRESS = "progress";

    private Channels() {
    }
}
