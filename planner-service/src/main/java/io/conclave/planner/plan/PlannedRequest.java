package io.conclave.planner.plan;

import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.SubtaskAssigned;
import java.util.List;

/**
 * Everything the planner publishes for one request, built before anything is sent so that
 * publishing is a plain sequence of sends: the plan, then its sub-tasks and the progress event.
 *
 * @param planned the {@code planned} progress event, or null when nobody watches the request's progress
 */
public record PlannedRequest(PlanCreated plan, List<SubtaskAssigned> subtasks, ProgressUpdated planned) {
    public PlannedRequest {
        subtasks = List.copyOf(subtasks);
    }
}
