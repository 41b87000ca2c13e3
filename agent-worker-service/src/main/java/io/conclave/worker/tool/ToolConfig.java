package io.conclave.worker.tool;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which tools agents are offered, and the limits of the tool loop. */
@ConfigMapping(prefix = "conclave.tools")
public interface ToolConfig {

    /** Built-in tools offered to agents: {@code calculator}, {@code current_time}, {@code http_get}. */
    @WithDefault("calculator,current_time")
    List<String> builtIn();

    /** Model turns that may ask for tools in one sub-task; the turn after the last one must answer in text. */
    @WithDefault("4")
    int maxSteps();

    /** The longest one tool call may take (the sub-task's deadline may cut it shorter). */
    @WithDefault("15s")
    Duration timeout();

    /** A tool result is cut to this many characters before the model sees it. */
    @WithDefault("8000")
    int resultMaxChars();

    /** Arguments and results in the agent's record ({@code conclave.agents[].tools}) are cut to this. */
    @WithDefault("200")
    int recordMaxChars();

    HttpGet httpGet();

    /** MCP servers by name; their tools are offered as {@code <server>__<tool>}. */
    Map<String, McpServer> mcp();

    /** {@code http_get}: off by default; when on, only these hosts, and never a non-public address. */
    interface HttpGet {
        @WithDefault("false")
        boolean enabled();

        /** Host names ({@code api.example.com}) or {@code *.example.com}; empty refuses every URL. */
        Optional<List<String>> allowedHosts();

        /**
         * Address ranges let through although not public (e.g. {@code 127.0.0.1/32}). For tests and local runs
         * only: in production this stays empty.
         */
        Optional<List<String>> exemptAddresses();

        @WithDefault("65536")
        int maxBytes();

        @WithDefault("5s")
        Duration timeout();
    }

    /** One MCP server: a command speaking MCP on stdio, or a streamable HTTP endpoint. */
    interface McpServer {
        /** {@code stdio} or {@code http}. */
        @WithDefault("stdio")
        String transport();

        /** stdio: the program to start. */
        Optional<String> command();

        /** stdio: its arguments. */
        Optional<List<String>> args();

        /** http: the server's base URL, e.g. {@code http://mcp.internal:3000}. */
        Optional<String> url();

        /** http: the MCP endpoint path. */
        @WithDefault("/mcp")
        String endpoint();

        /** Timeout of one MCP request (initialize, list, call). */
        @WithDefault("30s")
        Duration requestTimeout();
    }
}
