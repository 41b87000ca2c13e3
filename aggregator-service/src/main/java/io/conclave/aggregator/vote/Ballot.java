package io.conclave.aggregator.vote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts a vote (self-consistency, DESIGN.md §3) over agents' final answers by their {@link AnswerNormalizer}
 * keys. The leader is the key with the most votes. <b>Tie rule:</b> among keys with equally many votes, the one
 * whose first supporter comes first in plan order wins (agent {@code a1} before {@code a2}: the library's first
 * roles are its most careful ones, and plan order is fixed, so replays decide alike). The reply is the answer as
 * that first supporter wrote it.
 */
public final class Ballot {

    /** One agent's vote, in plan order. */
    public record Vote(String agentId, String answer) {
    }

    /** The leading answer: its key, how many agents gave it, and the text of its first supporter. */
    public record Leader(String key, int votes, String answer, boolean tied) {
    }

    private final Map<String, List<Vote>> byKey = new LinkedHashMap<>();

    /** @param votes completed agents' answers, in plan order (the order ties are broken by) */
    public Ballot(List<Vote> votes) {
        for (Vote vote : votes) {
            String key = AnswerNormalizer.normalize(vote.answer());
            if (!key.isEmpty()) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(vote);
            }
        }
    }

    /** The leader, or empty when no agent gave a non-empty answer. */
    public Optional<Leader> leader() {
        Map.Entry<String, List<Vote>> best = null;
        boolean tied = false;
        for (Map.Entry<String, List<Vote>> entry : byKey.entrySet()) { // insertion order = plan order of first votes
            if (best == null || entry.getValue().size() > best.getValue().size()) {
                best = entry;
                tied = false;
            } else if (entry.getValue().size() == best.getValue().size()) {
                tied = true;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new Leader(best.getKey(), best.getValue().size(), best.getValue().get(0).answer().strip(),
                tied));
    }

    /** How many agents gave the most frequent answer (0 when none answered). */
    public int topVotes() {
        return byKey.values().stream().mapToInt(List::size).max().orElse(0);
    }
}
