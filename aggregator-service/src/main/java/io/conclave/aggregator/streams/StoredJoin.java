package io.conclave.aggregator.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.conclave.aggregator.join.JoinState;
import io.conclave.aggregator.join.Outcome;
import io.conclave.contracts.RequestStatus;
import java.time.Instant;
import java.util.List;

/**
 * The small entry of a {@link JoinStore} under the correlation ID: a {@link JoinState} without its plan and its
 * agents' outcomes, which have entries of their own.
 *
 * @param reported the agents' sub-task IDs in the order they reported, so that the join reads back as it was
 * @param synthesis the synthesis' outcome, null until it reports (written once, when the join closes)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record StoredJoin(
        String correlationId,
        JoinState.Phase phase,
        List<String> reported,
        Outcome synthesis,
        Instant since,
        RequestStatus status,
        String traceparent) {

    StoredJoin {
        reported = reported == null ? List.of() : List.copyOf(reported);
    }

    static StoredJoin of(JoinState state) {
        return new StoredJoin(state.correlationId(), state.phase(),
                state.agents().stream().map(Outcome::subtaskId).toList(), state.synthesis(), state.since(),
                state.status(), state.traceparent());
    }
}
