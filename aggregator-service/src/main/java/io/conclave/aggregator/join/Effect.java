package io.conclave.aggregator.join;

import io.conclave.contracts.RequestCancelled;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.SubtaskAssigned;

/** Something a join decision asks the topology to do or to count, besides storing the new state. */
public sealed interface Effect {

    /** Publish the request's one answer to {@code conclave.results}. */
    record Publish(RequestCompleted result) implements Effect {
    }

    /** Tell the workers on {@code conclave.control} that the request needs no more work (a vote's early stop). */
    record Cancel(RequestCancelled cancelled) implements Effect {
    }

    /** Ask a worker for the synthesis on {@code conclave.subtasks}. */
    record Assign(SubtaskAssigned subtask) implements Effect {
    }

    /** A second report of a sub-task (or a second plan), ignored. */
    record Duplicate(String subtaskId) implements Effect {
    }

    /** A partial that came after its join was released or closed, dropped. */
    record Late(String subtaskId, String why) implements Effect {
    }

    /** A partial that came before its plan, held until the plan arrives. */
    record Held(String subtaskId) implements Effect {
    }

    /** An event that fits no open join (a sub-task the plan does not name), ignored. */
    record Ignored(String subtaskId, String why) implements Effect {
    }

    /** Partials whose plan never came, deleted after the retention. */
    record Orphaned(int partials) implements Effect {
    }
}
