package io.conclave.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void defaultListHasEveryConclaveTopicWithItsDeadLetterTopic() {
        final Map<String, Integer> topics = TopicSpec.load(TopicSpec.DEFAULT_RESOURCE).stream()
                .collect(Collectors.toMap(TopicSpec::name, TopicSpec::partitions));

        assertEquals(Map.of("conclave.requests", 8, "conclave.subtasks", 16, "conclave.join", 8,
                "conclave.results", 4, "conclave.progress", 8, "conclave.control", 4),
                topics.entrySet().stream().filter(e -> !e.getKey().endsWith(".dlq"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        final Set<String> main = topics.keySet().stream().filter(n -> !n.endsWith(".dlq")).collect(Collectors.toSet());
        main.forEach(name -> assertEquals(1, topics.get(name + ".dlq"), name + ".dlq"));
        assertEquals(12, topics.size());
    }

    @Test
    void skipsCommentsAndBlankLines() {
        assertEquals(List.of(new TopicSpec("a", 2), new TopicSpec("b", 1)),
                TopicSpec.parse("# comment\n\n  a   2\nb 1\n"));
    }

    @Test
    void rejectsMalformedLines() {
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.parse("a"));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.parse("a 1 retention.ms"));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.parse("a 0"));
        assertThrows(NumberFormatException.class, () -> TopicSpec.parse("a two"));
        assertTrue(TopicSpec.parse("").isEmpty());
    }

    @Test
    void aTopicMayCarryConfigs() {
        assertEquals(List.of(new TopicSpec("a", 2, Map.of("max.message.bytes", "100", "retention.ms", "5"))),
                TopicSpec.parse("a 2 max.message.bytes=100 retention.ms=5"));
        assertEquals("18874368", TopicSpec.load(TopicSpec.DEFAULT_RESOURCE).stream()
                .filter(t -> t.name().equals("conclave.requests")).findFirst().orElseThrow()
                .config().get("max.message.bytes"));
    }
}
