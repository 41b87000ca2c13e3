package io.conclave.aggregator.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * When each stored join is next due, in memory, so the punctuator touches only the joins whose
 * deadline or retention passed instead of reading the whole store ten times a second. It is
 * derived from the store: rebuilt from it when a task starts, updated on every write.
 */
final class DeadlineIndex {

    private record Due(long at, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : key.compareTo(other.key);
        }
    }

    private final NavigableSet<Due> byTime = new TreeSet<>();
    private final Map<String, Due> byKey = new HashMap<>();

    void put(String key, Instant at) {
        remove(key);
        Due due = new Due(at.toEpochMilli(), key);
        byTime.add(due);
        byKey.put(key, due);
    }

    void remove(String key) {
        Due due = byKey.remove(key);
        if (due != null) {
            byTime.remove(due);
        }
    }

    /** The keys due at or before {@code now}, earliest first. */
    List<String> dueAt(Instant now) {
        List<String> keys = new ArrayList<>();
        for (Due due : byTime.headSet(new Due(now.toEpochMilli() + 1, ""), false)) {
            keys.add(due.key());
        }
        return keys;
    }

    int size() {
        return byKey.size();
    }
}
