package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.worker.llm.ToolSpec;
import io.smallrye.mutiny.Uni;

/** {@code calculator}: exact arithmetic (see {@link Calculator}); models are bad at it, and this is cheap and safe. */
final class CalculatorTool implements Tool {

    static final String NAME = "calculator";
    private final ToolSpec spec;

    CalculatorTool(ObjectMapper mapper) {
        this.spec = new ToolSpec(NAME, "Evaluates an arithmetic expression exactly: + - * / % ^ and parentheses, "
                + "decimals allowed. Example: (2.5 + 3) * 4 ^ 2",
                Schemas.object(mapper, "expression", "the expression to evaluate"));
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public Uni<String> call(JsonNode arguments) {
        JsonNode expression = arguments.path("expression");
        if (!expression.isTextual()) {
            return Uni.createFrom().failure(new ToolException("argument 'expression' (a string) is missing"));
        }
        return Uni.createFrom().item(() -> Calculator.evaluate(expression.textValue()));
    }
}
