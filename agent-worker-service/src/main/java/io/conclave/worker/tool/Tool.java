package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.worker.llm.ToolSpec;
import io.smallrye.mutiny.Uni;

/**
 * Something an agent may call in its tool loop: a built-in or an MCP server's tool. A call never blocks the
 * caller's thread; a failure the model should see (bad arguments, a refused URL) is a {@link ToolException}.
 */
public interface Tool {

    /** The name, description and argument schema offered to the model. */
    ToolSpec spec();

    /**
     * @param arguments the model's arguments, parsed (an object node)
     * @return the result text shown to the model; fails with {@link ToolException} for an error the model sees
     */
    Uni<String> call(JsonNode arguments);
}
