package io.conclave.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Produces repeatable answers so that multi-agent tests can assert on consensus: the reasoning text depends on the
 * whole request, but the final {@code Answer: X} depends only on the last user message, so agents with different
 * system prompts asked the same question agree - except for the share of conversations picked to dissent. A last
 * user message that quotes earlier answers as {@code Answer: X} lines (a synthesis prompt does) is answered like a
 * careful judge would: with the answer most of them give, so a synthesized reply agrees with its agents.
 */
final class AnswerGenerator {

    private static final Pattern QUOTED_ANSWER = Pattern.compile("(?m)^\\s*Answer:[ \\t]*(.*)$");

    private static final List<String> WORDS = List.of(
            "consider", "the", "premise", "carefully", "evidence", "suggests", "that", "a", "reasonable",
            "estimate", "follows", "from", "first", "principles", "weighing", "each", "option", "against",
            "known", "constraints", "therefore", "we", "conclude", "given", "assumptions", "remain", "stable",
            "alternative", "readings", "seem", "less", "likely", "overall", "balance", "points", "toward",
            "result", "checking", "arithmetic", "again", "confirms", "this", "answer", "under", "scrutiny");

    /**
     * @param request       the parsed request
     * @param tokens        total tokens of the full answer, at least 2
     * @param disagreeRate  share of conversations that end in a dissenting answer
     */
    Completion generate(ChatRequest request, int tokens, double disagreeRate) {
        byte[] conversation = sha256(canonical(request));
        String answer = majorityOfQuoted(request.lastUserMessage())
                .orElseGet(() -> answer(request.lastUserMessage(), conversation, disagreeRate));
        List<String> full = reasoning(new Random(longAt(conversation, 0)), tokens - 2);
        full.add("Answer: ");
        full.add(answer);
        int max = request.maxTokens() == null ? tokens : Math.min(tokens, request.maxTokens());
        return new Completion(List.copyOf(full.subList(0, max)), max < tokens ? "length" : "stop", answer);
    }

    /** The most frequent {@code Answer: X} line quoted in the message (the first seen on a tie), if it quotes any. */
    static Optional<String> majorityOfQuoted(String message) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher matcher = QUOTED_ANSWER.matcher(message == null ? "" : message);
        while (matcher.find()) {
            counts.merge(matcher.group(1).strip(), 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .filter(entry -> !entry.getKey().isEmpty())
                .reduce((best, next) -> next.getValue() > best.getValue() ? next : best)
                .map(Map.Entry::getKey);
    }

    private static String answer(String question, byte[] conversation, double disagreeRate) {
        long agreed = Long.remainderUnsigned(longAt(sha256(question), 0), 1000);
        double draw = (longAt(conversation, 8) >>> 11) * 0x1.0p-53; // uniform in [0, 1)
        if (draw >= disagreeRate) {
            return Long.toString(agreed + 1);
        }
        long shift = 1 + Long.remainderUnsigned(longAt(conversation, 16), 999); // never a full turn: always differs
        return Long.toString((agreed + shift) % 1000 + 1);
    }

    private static List<String> reasoning(Random random, int count) {
        List<String> words = new ArrayList<>();
        int sentenceLeft = 0;
        for (int i = 0; i < count; i++) {
            String word = WORDS.get(random.nextInt(WORDS.size()));
            if (sentenceLeft == 0) {
                sentenceLeft = 5 + random.nextInt(7);
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            sentenceLeft--;
            boolean last = i == count - 1;
            words.add(word + (sentenceLeft == 0 || last ? "." : "") + (last ? "\n" : " "));
        }
        return words;
    }

    private static String canonical(ChatRequest request) {
        StringBuilder text = new StringBuilder(request.model()).append('\0').append(request.temperature());
        request.messages().forEach(m -> text.append('\0').append(m.role()).append('\0').append(m.content()));
        return text.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    private static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }
}
