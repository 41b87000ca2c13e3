package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An event on {@code conclave.join}: the plan and one outcome per sub-task, all in the request's
 * partition. The plan usually comes first; an outcome that beats it is held until it comes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PlanCreated.class, name = "PlanCreated"),
        @JsonSubTypes.Type(value = SubtaskCompleted.class, name = "SubtaskCompleted"),
        @JsonSubTypes.Type(value = SubtaskFailed.class, name = "SubtaskFailed")
})
public sealed interface JoinEvent extends ConclaveEvent permits PlanCreated, SubtaskCompleted, SubtaskFailed {
}
