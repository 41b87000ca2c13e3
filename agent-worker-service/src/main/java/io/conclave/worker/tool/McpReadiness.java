package io.conclave.worker.tool;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while an MCP server is still connecting, so a rollout (and the tests) wait until its tools are on
 * offer. A server that failed does not hold readiness back: its failure is logged and shown here.
 */
@Readiness
@ApplicationScoped
public class McpReadiness implements HealthCheck {

    private final Tools tools;

    McpReadiness(Tools tools) {
        this.tools = tools;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> state = tools.mcpState();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mcp-servers")
                .status(state.values().stream().noneMatch("connecting"::equals));
        state.forEach(response::withData);
        return response.build();
    }
}
