package io.conclave.worker.tool;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Exact decimal arithmetic for the {@code calculator} tool: {@code + - * / % ^}, parentheses and unary minus over
 * {@link BigDecimal}, so {@code 0.1 + 0.2} is {@code 0.3}. A division that does not terminate is rounded to 34
 * significant digits (IEEE decimal128). Bad input fails with a {@link ToolException} that says where, so the model
 * can fix its expression. Bounded: at most 500 characters, integer exponents up to 1000, results up to 1000 digits.
 */
public final class Calculator {

    static final int MAX_LENGTH = 500;
    static final int MAX_DIGITS = 1000;
    private final String text;
    private int pos;

    private Calculator(String text) {
        this.text = text;
    }

    /** @return the value, without trailing zeros, in plain notation */
    public static String evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new ToolException("expression is empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new ToolException("expression is longer than " + MAX_LENGTH + " characters");
        }
        Calculator calculator = new Calculator(expression);
        BigDecimal value = calculator.expression();
        calculator.skipSpaces();
        if (calculator.pos < expression.length()) {
            throw calculator.error("unexpected '" + expression.charAt(calculator.pos) + "'");
        }
        BigDecimal result = value.stripTrailingZeros();
        if (result.scale() < 0) {
            result = result.setScale(0);
        }
        return result.toPlainString();
    }

    private BigDecimal expression() {
        BigDecimal value = term();
        while (true) {
            if (accept('+')) {
                value = checked(value.add(term()));
            } else if (accept('-')) {
                value = checked(value.subtract(term()));
            } else {
                return value;
            }
        }
    }

    private BigDecimal term() {
        BigDecimal value = power();
        while (true) {
            if (accept('*')) {
                value = checked(value.multiply(power()));
            } else if (accept('/')) {
                value = divide(value, power());
            } else if (accept('%')) {
                BigDecimal divisor = power();
                requireNonZero(divisor);
                value = value.remainder(divisor);
            } else {
                return value;
            }
        }
    }

    private BigDecimal power() {
        BigDecimal base = unary();
        if (!accept('^')) {
            return base;
        }
        int at = pos;
        BigDecimal exponent = power(); // right-associative: 2^3^2 = 2^9
        BigInteger whole;
        try {
            whole = exponent.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw errorAt(at, "the exponent must be a whole number");
        }
        if (whole.abs().compareTo(BigInteger.valueOf(1000)) > 0) {
            throw errorAt(at, "the exponent must be within -1000..1000");
        }
        int n = whole.intValue();
        if (n >= 0) {
            return checked(base.pow(n));
        }
        return divide(BigDecimal.ONE, checked(base.pow(-n)));
    }

    private BigDecimal unary() {
        if (accept('-')) {
            return unary().negate();
        }
        if (accept('+')) {
            return unary();
        }
        return primary();
    }

    private BigDecimal primary() {
        skipSpaces();
        if (accept('(')) {
            BigDecimal value = expression();
            if (!accept(')')) {
                throw error("missing ')'");
            }
            return value;
        }
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (start == pos) {
            throw error(pos < text.length() ? "expected a number, found '" + text.charAt(pos) + "'"
                    : "expected a number at the end");
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw errorAt(start, "'" + text.substring(start, pos) + "' is not a number");
        }
    }

    private BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
        requireNonZero(divisor);
        try {
            return checked(dividend.divide(divisor));
        } catch (ArithmeticException nonTerminating) {
            return dividend.divide(divisor, MathContext.DECIMAL128);
        }
    }

    private void requireNonZero(BigDecimal divisor) {
        if (divisor.signum() == 0) {
            throw new ToolException("division by zero");
        }
    }

    private static BigDecimal checked(BigDecimal value) {
        if (value.precision() > MAX_DIGITS || Math.abs((long) value.scale()) > MAX_DIGITS) {
            throw new ToolException("the result has more than " + MAX_DIGITS + " digits");
        }
        return value;
    }

    private boolean accept(char c) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private ToolException error(String problem) {
        return errorAt(pos, problem);
    }

    private ToolException errorAt(int at, String problem) {
        return new ToolException("cannot parse the expression at position " + (at + 1) + ": " + problem);
    }
}
