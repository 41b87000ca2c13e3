package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.worker.llm.ToolSpec;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.stream.Collectors;

/** One tool of an MCP server, offered to agents as {@code <server>__<tool>} and called through the server's client. */
final class McpTool implements Tool {

    private final McpAsyncClient client;
    private final String server;
    private final String remoteName;
    private final ToolSpec spec;
    private final ObjectMapper mapper;

    McpTool(McpAsyncClient client, String server, McpSchema.Tool tool, ObjectMapper mapper) {
        this.client = client;
        this.server = server;
        this.remoteName = tool.name();
        this.mapper = mapper;
        JsonNode schema = tool.inputSchema() == null ? mapper.createObjectNode().put("type", "object")
                : mapper.valueToTree(tool.inputSchema());
        this.spec = new ToolSpec(name(server, tool.name()),
                tool.description() == null ? "Tool " + tool.name() + " of MCP server " + server : tool.description(),
                schema);
    }

    /** OpenAI function names allow {@code [a-zA-Z0-9_-]{1,64}}. */
    static String name(String server, String tool) {
        String name = (server + "__" + tool).replaceAll("[^a-zA-Z0-9_-]", "_");
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Uni<String> call(JsonNode arguments) {
        Map<String, Object> args = mapper.convertValue(arguments, Map.class);
        return Uni.createFrom().completionStage(() -> client.callTool(new McpSchema.CallToolRequest(remoteName, args))
                        .toFuture())
                .onFailure().transform(failure -> new ToolException("MCP server " + server + " failed to run "
                        + remoteName + ": " + failure.getMessage()))
                .map(this::text);
    }

    private String text(McpSchema.CallToolResult result) {
        String text = result.content() == null ? "" : result.content().stream()
                .map(content -> content instanceof McpSchema.TextContent t ? t.text() : "[" + content.type() + "]")
                .collect(Collectors.joining("\n"));
        if (Boolean.TRUE.equals(result.isError())) {
            throw new ToolException("MCP tool " + remoteName + " of server " + server + " reported an error: " + text);
        }
        return text;
    }
}
