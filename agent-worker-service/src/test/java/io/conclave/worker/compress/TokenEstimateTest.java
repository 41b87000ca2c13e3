package io.conclave.worker.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenEstimateTest {

    @Test
    void countsWhitespaceSeparatedWords() {
        assertEquals(0, TokenEstimate.count(null));
        assertEquals(0, TokenEstimate.count(""));
        assertEquals(0, TokenEstimate.count(" \n\t "));
        assertEquals(1, TokenEstimate.count("42"));
        assertEquals(4, TokenEstimate.count("  6 * 7 =\n"));
        assertEquals(5, TokenEstimate.count("Answer: 42\n\nbecause\t6*7=42 holds."));
    }
}
