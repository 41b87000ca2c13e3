package io.conclave.gateway.progress;

import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestCompleted;

/** What a watcher of one request receives: its progress, then its result as the last item. */
public sealed interface Update {

    /** An agent started or finished, the plan was made, or a batch of answer tokens. */
    record Progress(ProgressUpdated event) implements Update {
    }

    /** The request's one result; no update follows it. */
    record Finished(RequestCompleted result) implements Update {
    }
}
