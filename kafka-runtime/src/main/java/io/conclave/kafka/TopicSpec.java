package io.conclave.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One topic the broker creates at startup. The list lives in a text resource so that shell scripts,
 * tests and the broker read the same names.
 *
 * @param config topic configs that differ from the broker's defaults (e.g. {@code max.message.bytes})
 */
public record TopicSpec(String name, int partitions, Map<String, String> config) {

    public TopicSpec(String name, int partitions) {
        this(name, partitions, Map.of());
    }

    /** The Conclave topic list, read by {@link BrokerMain} unless {@code --topics} says otherwise. */
    public static final String DEFAULT_RESOURCE = "io/conclave/kafka/conclave-topics.txt";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || partitions < 1) {
            throw new IllegalArgumentException("Invalid topic '" + name + "' with " + partitions + " partitions");
        }
        config = Map.copyOf(config);
    }

    /**
     * Parses lines of {@code <name> <partitions> [<config>=<value> ...]}; blank lines and {@code #} comments are
     * skipped.
     */
    public static List<TopicSpec> parse(final String text) {
        return text.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(TopicSpec::parseLine)
                .toList();
    }

    /** Reads a topic list from a file if one exists at {@code location}, otherwise from the class path. */
    public static List<TopicSpec> load(final String location) {
        try {
            final Path file = Path.of(location);
            if (Files.isRegularFile(file)) {
                return parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            try (InputStream in = TopicSpec.class.getClassLoader().getResourceAsStream(location)) {
                if (in == null) {
                    throw new IllegalArgumentException("No topic list at " + location + " (neither a file nor a resource)");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read topic list " + location, e);
        }
    }

    private static TopicSpec parseLine(final String line) {
        final String[] fields = line.split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("Expected '<name> <partitions> [<config>=<value> ...]', got: " + line);
        }
        final Map<String, String> config = new LinkedHashMap<>();
        for (int i = 2; i < fields.length; i++) {
            final int eq = fields[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Expected '<config>=<value>', got '" + fields[i] + "' in: " + line);
            }
            config.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
        }
        return new TopicSpec(fields[0], Integer.parseInt(fields[1]), config);
    }
}
