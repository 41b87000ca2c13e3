package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.worker.llm.ToolSpec;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools agents are offered: the enabled built-ins, then the tools of the configured MCP servers. */
@ApplicationScoped
public class Tools {

    private final Map<String, Tool> builtIn = new LinkedHashMap<>();
    private final McpServers mcp;
    private final ToolConfig config;

    Tools(ToolConfig config, ObjectMapper mapper, Clock clock, Vertx vertx) {
        this.config = config;
        for (String name : config.builtIn()) {
            builtIn.put(name.trim(), builtIn(name.trim(), config, mapper, clock, vertx));
        }
        if (config.httpGet().enabled() && !builtIn.containsKey(HttpGetTool.NAME)) {
            builtIn.put(HttpGetTool.NAME, builtIn(HttpGetTool.NAME, config, mapper, clock, vertx));
        }
        this.mcp = new McpServers(config.mcp(), mapper);
    }

    private static Tool builtIn(String name, ToolConfig config, ObjectMapper mapper, Clock clock, Vertx vertx) {
        return switch (name) {
            case CalculatorTool.NAME -> new CalculatorTool(mapper);
            case CurrentTimeTool.NAME -> new CurrentTimeTool(mapper, clock);
            case HttpGetTool.NAME -> {
                if (!config.httpGet().enabled()) {
                    throw new IllegalArgumentException("http_get is listed in conclave.tools.built-in but "
                            + "conclave.tools.http-get.enabled is false");
                }
                ToolConfig.HttpGet http = config.httpGet();
                yield new HttpGetTool(mapper, vertx, new SsrfGuard(http.allowedHosts().orElse(List.of()),
                        http.exemptAddresses().orElse(List.of()), SsrfGuard::systemResolve), http.maxBytes(),
                        http.timeout());
            }
            default -> throw new IllegalArgumentException("conclave.tools.built-in names an unknown tool '" + name
                    + "' (known: calculator, current_time, http_get)");
        };
    }

    /** Every tool on offer right now (MCP servers add theirs once connected). */
    public List<ToolSpec> specs() {
        List<ToolSpec> specs = new ArrayList<>();
        builtIn.values().forEach(tool -> specs.add(tool.spec()));
        mcp.tools().forEach(tool -> specs.add(tool.spec()));
        return specs;
    }

    public Optional<Tool> get(String name) {
        Tool tool = builtIn.get(name);
        if (tool != null) {
            return Optional.of(tool);
        }
        return mcp.tools().stream().filter(t -> t.spec().name().equals(name)).findFirst();
    }

    public ToolConfig config() {
        return config;
    }

    /** MCP server name to its connection state, for readiness. */
    public Map<String, String> mcpState() {
        return mcp.state();
    }

    @PreDestroy
    void close() {
        mcp.close();
        builtIn.values().forEach(tool -> {
            if (tool instanceof HttpGetTool http) {
                http.close();
            }
        });
    }
}
