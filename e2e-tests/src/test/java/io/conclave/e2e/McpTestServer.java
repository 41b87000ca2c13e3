package io.conclave.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small MCP server (the MCP Java SDK's own server, on stdio) that AgentToolsE2ETest configures on the worker:
 * one tool, {@code shout}, that upper-cases its text and marks it, so the test can see its result travel back.
 * It exits when the worker that started it is gone.
 */
public final class McpTestServer {

    static final String SERVER = "testmcp";
    static final String TOOL = "shout";
    static final String MARK = "MCP-SAYS:";

    private McpTestServer() {
    }

    public static void main(String[] args) throws Exception {
        McpSchema.Tool shout = McpSchema.Tool.builder().name(TOOL).description("Upper-cases a text.")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")),
                        "required", List.of("text")))
                .build();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(new JacksonMcpJsonMapper(
                        new ObjectMapper())))
                .serverInfo("conclave-e2e-mcp", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(McpServerFeatures.SyncToolSpecification.builder().tool(shout)
                        .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                                .addTextContent(MARK + String.valueOf(request.arguments().get("text"))
                                        .toUpperCase(Locale.ROOT))
                                .isError(false)
                                .build())
                        .build())
                .build();
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        while (parent == null || parent.isAlive()) {
            Thread.sleep(500);
        }
        server.close();
        System.exit(0);
    }
}
