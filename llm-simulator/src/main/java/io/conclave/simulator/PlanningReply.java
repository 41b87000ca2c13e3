package io.conclave.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a planning call deterministically, so that a planner's {@code decompose} path can be tested end to end:
 * a request whose system prompt contains {@value #MARKER} gets a JSON object {@code {"sub_questions": [...]}}
 * with {@code min(3, N)} sub-questions derived from the last user message, where N is the number after
 * "at most" in the system prompt (3 when it names none). A last user message containing {@value #BAD_PLAN} gets
 * text that is not JSON, so a planner's retry and fallback can be tested too.
 */
final class PlanningReply {

    static final String MARKER = "[conclave:decompose]";
    static final String BAD_PLAN = "[sim:bad-plan]";

    private static final Pattern AT_MOST = Pattern.compile("at most (\\d+)");
    private static final List<String> ASPECTS = List.of(
            "What facts and definitions does this rest on: %s",
            "What is the direct result for: %s",
            "What could make the obvious answer wrong for: %s");

    private PlanningReply() {
    }

    /** The planning answer for this request, or null when it is not a planning call. */
    static Completion of(ChatRequest request) {
        String system = request.messages().stream().filter(m -> m.role().equals("system"))
                .map(ChatMessage::content).reduce("", (a, b) -> a + "\n" + b);
        if (!system.contains(MARKER)) {
            return null;
        }
        String question = request.lastUserMessage().strip();
        String text = question.contains(BAD_PLAN) ? "Here is my plan: first think, then answer."
                : json(question, count(system));
        List<String> tokens = new ArrayList<>();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            tokens.add(i < words.length - 1 ? words[i] + " " : words[i]);
        }
        return new Completion(List.copyOf(tokens), "stop", null);
    }

    private static int count(String system) {
        Matcher matcher = AT_MOST.matcher(system);
        int most = matcher.find() ? Integer.parseInt(matcher.group(1)) : 3;
        return Math.max(1, Math.min(3, most));
    }

    private static String json(String question, int count) {
        String quoted = question.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\s+", " ");
        String[] items = new String[count];
        for (int i = 0; i < count; i++) {
            items[i] = "\"" + String.format(ASPECTS.get(i), quoted) + "\"";
        }
        return "{\"sub_questions\": [" + String.join(", ", Arrays.asList(items)) + "]}";
    }
}
