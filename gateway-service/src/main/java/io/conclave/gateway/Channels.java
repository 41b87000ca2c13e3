package io.conclave.gateway;

/**
 * The gateway's SmallRye channel names, shared by the code, {@code application.properties} and the
 * tests; each channel's Kafka topic is set in {@code application.properties} from
 * {@link io.conclave.contracts.Topics}.
 */
public final class Channels {
    /** Out: {@code RequestSubmitted} to {@code conclave.requests}. */
    public static final String REQUESTS = "requests";
    /** In: {@code RequestCompleted} from {@code conclave.results}, on every replica. */
    public static final String RESULTS = "results";
    /** In: {@code ProgressUpdated} from {@code conclave.progress}, on every replica. */
    public static final String PROGRESS = "progress";
    /** Out: {@code RequestCancelled} to {@code conclave.control}. */
    public static final String CONTROL = "control";
    /** Out: the {@code cancelled} {@code RequestCompleted} of a request its client cancelled, to {@code conclave.results}. */
    public static final String CANCELLED_RESULTS = "cancelled-results";

    private Channels() {
    }
}
