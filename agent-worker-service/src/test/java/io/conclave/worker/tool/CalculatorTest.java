package io.conclave.worker.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CalculatorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "6*7                | 42",
        "0.1 + 0.2          | 0.3",
        "2 + 3 * 4          | 14",
        "(2 + 3) * 4        | 20",
        "2 ^ 3 ^ 2          | 512",
        "-2 ^ 2             | 4",
        "10 / 4             | 2.5",
        "7 % 3              | 1",
        "2 ^ -2             | 0.25",
        "1 / 3              | 0.3333333333333333333333333333333333",
        "123456789012345678901234567890 * 10 | 1234567890123456789012345678900",
        "1e3                | ERR",
    })
    void evaluatesExactly(String expression, String expected) {
        if (expected.equals("ERR")) {
            assertThrows(ToolException.class, () -> Calculator.evaluate(expression));
        } else {
            assertEquals(expected, Calculator.evaluate(expression));
        }
    }

    @Test
    void parseErrorsSayWhere() {
        ToolException error = assertThrows(ToolException.class, () -> Calculator.evaluate("2 + * 3"));
        assertTrue(error.getMessage().contains("position 5"), error.getMessage());
        assertTrue(assertThrows(ToolException.class, () -> Calculator.evaluate("(1 + 2")).getMessage()
                .contains("missing ')'"));
        assertEquals("division by zero",
                assertThrows(ToolException.class, () -> Calculator.evaluate("1 / (2 - 2)")).getMessage());
    }

    @Test
    void hugeResultsAreRefusedNotComputedForever() {
        assertThrows(ToolException.class, () -> Calculator.evaluate("9 ^ 1000 ^ 1000"));
        assertThrows(ToolException.class, () -> Calculator.evaluate("(10 ^ 999) * (10 ^ 999)"));
        assertThrows(ToolException.class, () -> Calculator.evaluate("1+".repeat(300) + "1"));
    }
}
