package io.conclave.aggregator.vote;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns an agent's final answer (the text of its {@code Answer:} line) into the key a vote counts, so that
 * answers that say the same thing differently count together: {@code "**42**"}, {@code "42."}, {@code "42.0"},
 * {@code "1,000"} and {@code "$1000"} vote with {@code "42"}/{@code "1000"}; {@code "The Paris."} votes with
 * {@code "paris"}. It is deliberately conservative: it never maps two different numbers or words to one key,
 * so a vote can only miss an agreement, never invent one.
 */
public final class AnswerNormalizer {

    private static final Pattern MARKUP = Pattern.compile("[*_`]+");
    private static final Pattern LEADING_ANSWER = Pattern.compile(
            "^(?:(?:the\\s+)?(?:final\\s+)?answer\\s*(?:is|:)\\s*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTES = Pattern.compile("^[\"'“”‘’]+|[\"'“”‘’]+$");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?;:,]+$");
    private static final Pattern NUMBER = Pattern.compile(
            "^([-+]?)[$€£]?\\s?((?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)(\\s?%)?$");
    private static final Pattern LEADING_ARTICLE = Pattern.compile("^(?:a|an|the)\\s+");
    private static final int SHORT_WORDS = 6;

    private AnswerNormalizer() {
    }

    /** @return the vote key; empty when the answer is empty (an empty answer does not vote) */
    public static String normalize(String answer) {
        if (answer == null) {
            return "";
        }
        String text = MARKUP.matcher(answer).replaceAll("").strip();
        text = LEADING_ANSWER.matcher(text).replaceFirst("").strip();
        text = TRAILING_PUNCTUATION.matcher(text).replaceAll("").strip();
        text = QUOTES.matcher(text).replaceAll("").strip();
        text = TRAILING_PUNCTUATION.matcher(text).replaceAll("").strip();
        text = text.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        String number = number(text);
        if (number != null) {
            return number;
        }
        if (text.split(" ").length <= SHORT_WORDS) {
            text = LEADING_ARTICLE.matcher(text).replaceFirst("");
        }
        return text;
    }

    /** A number in canonical form (no grouping, no trailing zeros, no currency), or null when it is not one. */
    static String number(String text) {
        var matcher = NUMBER.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        BigDecimal value = new BigDecimal(matcher.group(2).replace(",", "")).stripTrailingZeros();
        if (value.signum() == 0) {
            value = BigDecimal.ZERO;
        } else if (matcher.group(1).equals("-")) {
            value = value.negate();
        }
        return value.toPlainString() + (matcher.group(3) != null ? "%" : "");
    }
}
