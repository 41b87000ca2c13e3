package io.conclave.worker.compress;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds any of a list of whole words in a sentence, as {@code java.util.regex} finds {@code \b(because|...)\b}
 * with {@code CASE_INSENSITIVE}, in one pass over the sentence: ASCII letters match either case, a word is a run
 * of letters, digits and underscores. An entry ending in {@code *} ({@code "assum*"}) matches a word that starts
 * with it and goes on in ASCII letters, digits or underscores (the regex {@code assum\w*}); an entry of two words
 * ({@code "so that"}) matches them with one space between. One difference, irrelevant to prose: a combining mark
 * counts as a word character here, and for the regex only after a letter or digit.
 *
 * <p>The compressor looks at every sentence of every agent's output; as regular expressions these searches
 * were a sixth of the worker's CPU (JFR profile, docs/benchmarks.md).
 */
final class WholeWords {

    private final Set<String> words = new HashSet<>();
    private final List<String> prefixes;
    private final List<String[]> pairs;
    /** ASCII lower-case first letters of all entries: a word starting otherwise is skipped without a lookup. */
    private final boolean[] firstLetters = new boolean[128];

    private WholeWords(List<String> entries) {
        for (String entry : entries) {
            if (entry.isEmpty() || !entry.equals(entry.toLowerCase(Locale.ROOT)) || entry.charAt(0) >= 128) {
                throw new IllegalArgumentException("entries are lower case words starting in ASCII: " + entry);
            }
            firstLetters[entry.charAt(0)] = true;
        }
        this.prefixes = entries.stream().filter(e -> e.endsWith("*")).map(e -> e.substring(0, e.length() - 1))
                .toList();
        this.pairs = entries.stream().filter(e -> e.contains(" ")).map(e -> e.split(" ", 2)).toList();
        entries.stream().filter(e -> !e.endsWith("*") && !e.contains(" ")).forEach(words::add);
    }

    static WholeWords of(String... entries) {
        return new WholeWords(List.of(entries));
    }

    boolean foundIn(String text) {
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (!isWord(codePoint)) {
                i += Character.charCount(codePoint);
                continue;
            }
            int start = i;
            while (i < text.length() && isWord(codePoint = text.codePointAt(i))) {
                i += Character.charCount(codePoint);
            }
            if (matches(text, start, i)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(String text, int start, int end) {
        char first = lower(text.charAt(start));
        if (first >= 128 || !firstLetters[first]) {
            return false;
        }
        String word = lowerAscii(text, start, end);
        if (words.contains(word)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (word.startsWith(prefix) && asciiWordChars(word, prefix.length())) {
                return true;
            }
        }
        for (String[] pair : pairs) {
            int second = end + 1;
            int after = second + pair[1].length();
            if (word.equals(pair[0]) && after <= text.length() && text.charAt(end) == ' '
                    && lowerAscii(text, second, after).equals(pair[1])
                    && (after == text.length() || !isWord(text.codePointAt(after)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWord(int codePoint) {
        return codePoint == '_' || Character.isLetterOrDigit(codePoint)
                || Character.getType(codePoint) == Character.NON_SPACING_MARK;
    }

    /** {@code \w} without {@code UNICODE_CHARACTER_CLASS}: {@code [a-zA-Z_0-9]}. */
    private static boolean asciiWordChars(String word, int from) {
        for (int i = from; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String lowerAscii(String text, int start, int end) {
        char[] chars = new char[end - start];
        for (int i = start; i < end; i++) {
            chars[i - start] = lower(text.charAt(i));
        }
        return new String(chars);
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
