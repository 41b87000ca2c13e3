package io.conclave.planner.decompose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The shape a planning call must answer with, and its check. The model is shown {@link #schema(int)} (JSON
 * Schema) and its answer is checked here against the same rules by hand, which is all the schema needs:
 * an object with exactly one property {@code sub_questions}, an array of 1..max distinct, non-blank strings of at
 * most {@value #MAX_LENGTH} characters. A Markdown code fence around the JSON is tolerated (models add them).
 */
public final class DecompositionSchema {

    static final int MAX_LENGTH = 500;

    private final ObjectMapper mapper;

    public DecompositionSchema(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON Schema the planning prompt quotes. */
    public static String schema(int max) {
        return "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"sub_questions\"], "
                + "\"properties\": {\"sub_questions\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": " + max
                + ", \"uniqueItems\": true, \"items\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": "
                + MAX_LENGTH + "}}}}";
    }

    /** The result of checking one answer: the sub-questions, or why the answer does not fit the schema. */
    public record Checked(List<String> subQuestions, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    public Checked check(String answer, int max) {
        String json = withoutFence(answer == null ? "" : answer.strip());
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return invalid("the answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            return invalid("the answer is not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("sub_questions")) {
                return invalid("unexpected property '" + name + "'");
            }
        }
        JsonNode items = root.get("sub_questions");
        if (items == null || !items.isArray()) {
            return invalid("'sub_questions' is missing or not an array");
        }
        if (items.isEmpty() || items.size() > max) {
            return invalid("'sub_questions' has " + items.size() + " items; 1 to " + max + " allowed");
        }
        List<String> questions = new ArrayList<>(items.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode item : items) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                return invalid("every sub-question must be a non-blank string");
            }
            String question = item.textValue().strip();
            if (question.length() > MAX_LENGTH) {
                return invalid("a sub-question is longer than " + MAX_LENGTH + " characters");
            }
            if (!seen.add(question.toLowerCase(Locale.ROOT))) {
                return invalid("the sub-questions repeat '" + question + "'");
            }
            questions.add(question);
        }
        return new Checked(List.copyOf(questions), null);
    }

    private static Checked invalid(String problem) {
        return new Checked(List.of(), problem);
    }

    private static String withoutFence(String text) {
        if (!text.startsWith("```")) {
            return text;
        }
        int firstLine = text.indexOf('\n');
        int close = text.lastIndexOf("```");
        return firstLine < 0 || close <= firstLine ? text : text.substring(firstLine + 1, close).strip();
    }
}
