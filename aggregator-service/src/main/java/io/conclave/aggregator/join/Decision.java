package io.conclave.aggregator.join;

import java.util.List;

/**
 * The outcome of applying one event or one clock tick to a join: what to do with the stored
 * state, and the effects to forward or count.
 *
 * @param state the state to store when {@code change} is {@link Change#PUT}
 */
public record Decision(Change change, JoinState state, List<Effect> effects) {

    /** What happens to the stored state. */
    public enum Change { NONE, PUT, DELETE }

    public Decision {
        effects = List.copyOf(effects);
    }

    static Decision none(JoinState unchanged, Effect... effects) {
        return new Decision(Change.NONE, unchanged, List.of(effects));
    }

    static Decision put(JoinState state, List<Effect> effects) {
        return new Decision(Change.PUT, state, effects);
    }

    static Decision delete(Effect... effects) {
        return new Decision(Change.DELETE, null, List.of(effects));
    }
}
