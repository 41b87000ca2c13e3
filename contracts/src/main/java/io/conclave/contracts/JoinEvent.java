package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An event on {@code conclave.join}: the plan first, then one outcome per sub-task, all in the
 * request's partition so the aggregator sees them in order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PlanCreated.class, name = "PlanCreated"),
        @JsonSubTypes.Type(value = SubtaskCompleted.class, name = "SubtaskCompleted"),
        @JsonSubTypes.Type(value = SubtaskFailed.class, name = "SubtaskFailed")
})
public sealed interface JoinEvent extends ConclaveEvent permits PlanCreated, SubtaskCompleted, SubtaskFailed {
}
