package io.conclave.aggregator.vote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "42|42", "**42**|42", "42.|42", "42.0|42", "' 42 '|42", "+42|42", "-0.0|0", "-3.50|-3.5",
            "1,000|1000", "$1,000.00|1000", "€ 12|12", "50 %|50%", "The answer is 42|42", "Answer: 42|42",
            "`x = 3`|x = 3", "The Paris.|paris", "\"Paris\"|paris", "An apple|apple",
            "the  Eiffel   Tower!|eiffel tower", "''|''"})
    void sameMeaningSameKey(String answer, String key) {
        assertEquals(key, AnswerNormalizer.normalize(answer));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"42|43", "1,000|100", "0.5|5", "-1|1", "12|12%", "paris|paris, texas",
            "1,00|100"})
    void differentMeaningsNeverMerge(String a, String b) {
        assertNotEquals(AnswerNormalizer.normalize(a), AnswerNormalizer.normalize(b));
    }
}
