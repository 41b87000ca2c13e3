package io.conclave.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A small MCP server on the streamable-HTTP transport (the MCP Java SDK's servlet transport in an embedded Tomcat on
 * 127.0.0.1), which AgentToolsE2ETest configures on the worker next to the stdio one: one tool, {@code reverse},
 * that reverses its text and marks it, so the test can see its result travel back.
 */
final class McpHttpTestServer implements AutoCloseable {

    static final String SERVER = "httpmcp";
    static final String TOOL = "reverse";
    static final String MARK = "MCP-HTTP-SAYS:";
    static final String ENDPOINT = "/mcp";

    private final Tomcat tomcat;
    private final McpSyncServer server;

    private McpHttpTestServer(Tomcat tomcat, McpSyncServer server) {
        this.tomcat = tomcat;
        this.server = server;
    }

    static McpHttpTestServer start() throws Exception {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .mcpEndpoint(ENDPOINT)
                .build();
        McpSchema.Tool reverse = McpSchema.Tool.builder().name(TOOL).description("Reverses a text.")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")),
                        "required", List.of("text")))
                .build();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("conclave-e2e-mcp-http", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(McpServerFeatures.SyncToolSpecification.builder().tool(reverse)
                        .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                                .addTextContent(MARK + new StringBuilder(
                                        String.valueOf(request.arguments().get("text"))).reverse())
                                .isError(false)
                                .build())
                        .build())
                .build();

        Tomcat tomcat = new Tomcat();
        File base = Files.createTempDirectory("mcp-tomcat").toFile();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        Wrapper servlet = Tomcat.addServlet(context, "mcp", transport);
        servlet.setAsyncSupported(true);
        context.addServletMappingDecoded(ENDPOINT, "mcp");
        tomcat.start();
        return new McpHttpTestServer(tomcat, server);
    }

    /** The server's base URL; the worker appends {@link #ENDPOINT}. */
    String url() {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.close();
        tomcat.stop();
        tomcat.destroy();
    }
}
