package io.conclave.planner.dispatch;

/**
 * The planner's SmallRye channel names, shared by the code, {@code application.properties} and the
 * tests; each channel's Kafka topic is set in {@code application.properties} from
 * {@link io.conclave.contracts.Topics}.
 */
public final class Channels {
    /** In: {@code RequestSubmitted} from {@code conclave.requests}. */
    public static final String REQUESTS = "requests";
    /** Out: {@code PlanCreated} to {@code conclave.join}. */
    public static final String JOIN = "join";
    /** Out: {@code SubtaskAssigned} to {@code conclave.subtasks}. */
    public static final String SUBTASKS = "subtasks";
    /** Out: {@code ProgressUpdated} to {@code conclave.progress}. */
    public static final String PROGRESS = "progress";

    private Channels() {
    }
}
