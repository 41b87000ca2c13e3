package io.conclave.aggregator.synthesis;

import io.conclave.contracts.AgentNotes;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builds the synthesis sub-task of a released join. The aggregator never calls a model itself
 * (a stream thread must not wait on one), so the synthesis runs on a worker like any agent.
 */
public final class SynthesisAssignment {

    private SynthesisAssignment() {
    }

    /**
     * The synthesis sub-task over the given agents' notes. Its event ID is derived from the
     * correlation ID, so a copy republished after a crash carries the same ID as the first.
     */
    public static SubtaskAssigned of(PlanCreated plan, List<AgentNotes> notes, Instant now) {
        String eventId = UUID.nameUUIDFromBytes((plan.correlationId() + "/synthesis")
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new SubtaskAssigned(plan.correlationId(), eventId, now, ConclaveEvent.SCHEMA_VERSION,
                plan.synthesis().subtaskId(), SubtaskKind.SYNTHESIS, plan.mode(), plan.synthesis(), plan.messages(),
                List.copyOf(notes), true, plan.deadline(), null, plan.watched());
    }
}
