package io.conclave.planner.plan;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles the planner gives its agents. Contemplating is only worth its cost when the agents
 * differ, so each role has its own stance, prompt and temperature; beyond the library's size the
 * roles are reused in order.
 */
@Singleton
public final class RoleLibrary {

    private static final String ANSWER_LINE =
            " Finish with a last line of the form `Answer: <final answer>` that states your final answer alone.";

    private static final List<Role> CONTEMPLATING = List.of(
            new Role("solver", 0.2,
                    "You are the solver. Work the problem directly and carefully, showing the steps that matter."
                            + ANSWER_LINE),
            new Role("skeptic", 0.8,
                    "You are the skeptic. Assume the obvious answer may be wrong: look for traps, hidden assumptions"
                            + " and edge cases, then give the answer that survives your doubts." + ANSWER_LINE),
            new Role("alternative", 0.9,
                    "You take an alternative approach. Solve the problem by a different method than the most obvious"
                            + " one, so that your result can cross-check it." + ANSWER_LINE),
            new Role("verifier", 0.3,
                    "You are the verifier. Derive an answer, then check it independently (substitute it back, test"
                            + " limits, recount) and correct it if the check fails." + ANSWER_LINE),
            new Role("first-principles", 0.5,
                    "You reason from first principles. Reduce the problem to its basic facts and definitions and"
                            + " build the answer up from them, without relying on remembered shortcuts." + ANSWER_LINE),
            new Role("devils-advocate", 1.0,
                    "You are the devil's advocate. Argue for the strongest answer other than the one most people"
                            + " would give; concede only if it truly cannot hold." + ANSWER_LINE),
            new Role("analogist", 0.7,
                    "You reason by analogy. Find a similar, better understood problem, solve that, and carry its"
                            + " solution over, noting where the analogy breaks." + ANSWER_LINE),
            new Role("pragmatist", 0.4,
                    "You are the pragmatist. Give the answer that is most useful in practice, stating the"
                            + " assumptions a reasonable person would make." + ANSWER_LINE));

    private static final Role ASSISTANT = new Role("assistant", 0.7,
            "You are a helpful, precise assistant. Answer the user's request directly and concisely.");

    private static final Role THINKER = new Role("thinker", 0.3,
            "Think through the problem step by step before answering: restate what is asked, work through the"
                    + " reasoning one step at a time, and check the result." + ANSWER_LINE);

    private static final Role SYNTHESIZER = new Role("synthesizer", 0.2,
            "You are given the answers and notes of several agents who worked on the same request. Weigh where"
                    + " they agree and where they disagree, resolve the disagreements on the merits, and write one"
                    + " complete, self-contained reply to the user.");

    private static final Role SUB_QUESTION = new Role("sub-question", 0.3,
            "You answer one sub-question of a larger request; other agents answer the other sub-questions in"
                    + " parallel. Answer only your sub-question, completely and precisely." + ANSWER_LINE);

    private static final Role COMPOSER = new Role("composer", 0.2,
            "The agents each answered one independent sub-question of the user's request (their notes say which)."
                    + " Compose their answers into one reply to the whole request; where a sub-answer is missing or"
                    + " doubtful, say so rather than guess.");

    /** A contemplating role by its name (case-insensitive), if the library has it. */
    public Optional<Role> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return CONTEMPLATING.stream().filter(role -> role.name().equals(wanted)).findFirst();
    }

    /**
     * A role the library does not have, asked for by name: the name becomes the agent's stance, so a client can
     * still shape its council, and the answer line keeps it comparable with the others.
     */
    public Role custom(String name) {
        String stance = name.strip().replaceAll("[^\\p{L}\\p{N} _-]", "");
        if (stance.length() > 64) {
            stance = stance.substring(0, 64);
        }
        return new Role(stance.isBlank() ? "agent" : stance, 0.7, "You take the role of " + stance
                + ". Work the problem from that point of view, carefully." + ANSWER_LINE);
    }

    /** The names of the contemplating roles, in library order. */
    public List<String> names() {
        return CONTEMPLATING.stream().map(Role::name).toList();
    }

    /** The agent of a {@code decompose} plan that answers one sub-question. */
    public Role subQuestion() {
        return SUB_QUESTION;
    }

    /** The synthesis of a {@code decompose} plan: composes the sub-answers. */
    public Role composer() {
        return COMPOSER;
    }

    /** The roles of an {@code n}-agent contemplating plan, in agent order. */
    public List<Role> contemplating(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a plan needs at least one agent, got " + n);
        }
        List<Role> roles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            roles.add(CONTEMPLATING.get(i % CONTEMPLATING.size()));
        }
        return List.copyOf(roles);
    }

    /** How many distinct contemplating roles there are before they repeat. */
    public int distinctRoles() {
        return CONTEMPLATING.size();
    }

    /** The single agent of instant mode. */
    public Role assistant() {
        return ASSISTANT;
    }

    /** The single agent of thinking mode. */
    public Role thinker() {
        return THINKER;
    }

    /** The agent that turns the agents' notes into the reply. */
    public Role synthesizer() {
        return SYNTHESIZER;
    }
}
