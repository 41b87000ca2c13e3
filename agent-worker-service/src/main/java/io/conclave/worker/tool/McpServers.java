package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The configured MCP servers, each behind one async MCP client (the Java SDK): connected at startup in the
 * background, their tools listed once and offered to agents from then on. A server that cannot be reached is
 * logged and offers nothing; the worker's readiness waits until every server has either connected or failed.
 */
final class McpServers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(McpServers.class);

    private final Map<String, McpAsyncClient> clients = new ConcurrentHashMap<>();
    private final List<Tool> tools = new CopyOnWriteArrayList<>();
    private final Map<String, String> state = new ConcurrentHashMap<>();

    McpServers(Map<String, ToolConfig.McpServer> servers, ObjectMapper mapper) {
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        servers.forEach((name, config) -> {
            state.put(name, "connecting");
            McpAsyncClient client;
            try {
                client = McpClient.async(transport(name, config, json))
                        .requestTimeout(config.requestTimeout())
                        .initializationTimeout(config.requestTimeout())
                        .clientInfo(new McpSchema.Implementation("conclave-agent-worker", "0.1.0"))
                        .build();
            } catch (RuntimeException e) {
                state.put(name, "failed: " + e.getMessage());
                LOG.errorf("MCP server %s is misconfigured: %s", name, e.getMessage());
                return;
            }
            clients.put(name, client);
            client.initialize().then(client.listTools()).subscribe(
                    listed -> {
                        listed.tools().forEach(tool -> tools.add(new McpTool(client, name, tool, mapper)));
                        state.put(name, "ready");
                        LOG.infof("MCP server %s offers %d tools: %s", name, listed.tools().size(),
                                listed.tools().stream().map(McpSchema.Tool::name).toList());
                    },
                    failure -> {
                        state.put(name, "failed: " + failure.getMessage());
                        LOG.errorf("MCP server %s could not be reached; its tools are not offered: %s", name,
                                failure.getMessage());
                    });
        });
    }

    private static McpClientTransport transport(String name, ToolConfig.McpServer config, JacksonMcpJsonMapper json) {
        return switch (config.transport()) {
            case "stdio" -> new StdioClientTransport(ServerParameters.builder(config.command().orElseThrow(() ->
                    new IllegalArgumentException("conclave.tools.mcp." + name + ".command is required for stdio")))
                    .args(config.args().orElse(List.of())).build(), json);
            case "http" -> HttpClientStreamableHttpTransport.builder(config.url().orElseThrow(() ->
                    new IllegalArgumentException("conclave.tools.mcp." + name + ".url is required for http")))
                    .endpoint(config.endpoint()).build();
            default -> throw new IllegalArgumentException("conclave.tools.mcp." + name + ".transport must be stdio "
                    + "or http, not " + config.transport());
        };
    }

    List<Tool> tools() {
        return List.copyOf(tools);
    }

    /** Server name to {@code connecting}, {@code ready} or {@code failed: …}. */
    Map<String, String> state() {
        return Map.copyOf(state);
    }

    @Override
    public void close() {
        clients.values().forEach(McpAsyncClient::close);
    }
}
