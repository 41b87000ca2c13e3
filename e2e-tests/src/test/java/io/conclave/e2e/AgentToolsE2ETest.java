package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, tools: each built-in tool and the tools of two MCP servers, through a full request. The simulator asks for the
 * tool call (a {@code <tool_call>} directive in the question, honoured only when the worker offers that tool), the
 * worker runs it and sends the result back, and the call shows up in {@code conclave.agents[].tools}.
 *
 * <p>{@code http_get} is enabled for this mesh only, with 127.0.0.1 on the allowlist and exempted from the
 * address check so that it can reach a server the test starts. The MCP servers are {@link McpTestServer}, which the
 * worker starts over stdio, and {@link McpHttpTestServer}, which the test serves over streamable HTTP.
 */
class AgentToolsE2ETest {

    private static Mesh mesh;
    private static HttpServer site;
    private static McpHttpTestServer mcpHttp;

    @BeforeAll
    static void start() throws Exception {
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/fact", exchange -> {
            byte[] body = "The answer to the test is 4242.".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        site.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        site.start();
        mcpHttp = McpHttpTestServer.start();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = new ArrayList<>(Mesh.Options.defaults().jvmOptions());
        jvm.addAll(List.of(
                "-Dconclave.tools.http-get.enabled=true",
                "-Dconclave.tools.http-get.allowed-hosts=127.0.0.1",
                "-Dconclave.tools.http-get.exempt-addresses=127.0.0.1/32",
                "-Dconclave.tools.mcp." + McpTestServer.SERVER + ".transport=stdio",
                "-Dconclave.tools.mcp." + McpTestServer.SERVER + ".command=" + java,
                "-Dconclave.tools.mcp." + McpTestServer.SERVER + ".args=-cp,"
                        + System.getProperty("java.class.path").replace(",", "\\,") + ","
                        + McpTestServer.class.getName(),
                "-Dconclave.tools.mcp." + McpHttpTestServer.SERVER + ".transport=http",
                "-Dconclave.tools.mcp." + McpHttpTestServer.SERVER + ".url=" + mcpHttp.url(),
                "-Dconclave.tools.mcp." + McpHttpTestServer.SERVER + ".endpoint=" + McpHttpTestServer.ENDPOINT));
        mesh = Mesh.start(Mesh.Options.defaults().withJvmOptions(jvm));
        new Simulator(mesh).reset(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        if (site != null) {
            site.stop(0);
        }
        if (mcpHttp != null) {
            mcpHttp.close();
        }
    }

    @Test
    void calculator() throws Exception {
        JsonNode call = onlyToolCall(ask("What is 6*7? <tool_call name=\"calculator\">{\"expression\": \"(2+4)*7\"}"
                + "</tool_call>"));
        assertEquals("calculator", call.path("tool").asText());
        assertEquals("42", call.path("result").asText(), call.toString());
        assertTrue(call.path("ok").asBoolean());
    }

    @Test
    void currentTime() throws Exception {
        JsonNode call = onlyToolCall(ask("What time is it? <tool_call name=\"current_time\">{}</tool_call>"));
        assertEquals("current_time", call.path("tool").asText());
        assertTrue(call.path("result").asText().startsWith(Year.now(ZoneOffset.UTC).toString()), call.toString());
    }

    @Test
    void httpGetFetchesAnAllowedPageAndFollowsNoRedirect() throws Exception {
        String base = "http://127.0.0.1:" + site.getAddress().getPort();
        JsonNode reply = ask("Look it up. <tool_call name=\"http_get\">{\"url\": \"" + base + "/fact\"}</tool_call>"
                + "<tool_call name=\"http_get\">{\"url\": \"" + base + "/moved\"}</tool_call>");
        JsonNode tools = agent(reply).path("tools");
        assertEquals(2, tools.size(), tools.toString());
        assertTrue(tools.get(0).path("result").asText().contains("HTTP 200"), tools.toString());
        assertTrue(tools.get(0).path("result").asText().contains("4242"), tools.toString());
        assertTrue(tools.get(1).path("result").asText().contains("302 (redirect not followed"), tools.toString());
    }

    @Test
    void httpGetRefusesTheMetadataAddressAndTheAgentStillAnswers() throws Exception {
        JsonNode reply = ask("Steal it. <tool_call name=\"http_get\">{\"url\": \"http://169.254.169.254/latest/"
                + "meta-data/\"}</tool_call>");
        JsonNode call = onlyToolCall(reply);
        assertFalse(call.path("ok").asBoolean(), call.toString());
        assertTrue(call.path("result").asText().contains("refused"), call.toString());
        assertEquals("complete", reply.at("/conclave/status").asText());
    }

    @Test
    void anMcpServersToolIsUsedByAnAgent() throws Exception {
        assertMcpToolAnswers(McpTestServer.SERVER + "__" + McpTestServer.TOOL, "hello mesh",
                McpTestServer.MARK + "HELLO MESH");
    }

    @Test
    void aStreamableHttpMcpServersToolIsUsedByAnAgent() throws Exception {
        assertMcpToolAnswers(McpHttpTestServer.SERVER + "__" + McpHttpTestServer.TOOL, "mesh",
                McpHttpTestServer.MARK + "hsem");
    }

    /** The simulator asks for {@code tool} with {@code text}; the agent's record shows the server's answer. */
    private static void assertMcpToolAnswers(String tool, String text, String expected) throws Exception {
        JsonNode call = onlyToolCall(ask("Use it. <tool_call name=\"" + tool + "\">{\"text\": \"" + text + "\"}"
                + "</tool_call>"));
        assertEquals(tool, call.path("tool").asText());
        assertEquals(expected, call.path("result").asText(), call.toString());
        assertTrue(call.path("ok").asBoolean());
    }

    private static JsonNode ask(String question) throws Exception {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", "conclave-instant");
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        body.putObject("conclave").put("deadline_ms", 30000);
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", body.toString());
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("complete", reply.body().at("/conclave/status").asText(), reply.body().toString());
        assertTrue(reply.body().at("/choices/0/message/content").asText().contains("Answer:"), reply.body().toString());
        return reply.body();
    }

    private static JsonNode agent(JsonNode reply) {
        return reply.at("/conclave/agents/0");
    }

    private static JsonNode onlyToolCall(JsonNode reply) {
        JsonNode tools = agent(reply).path("tools");
        assertEquals(1, tools.size(), "one tool call: " + agent(reply));
        return tools.get(0);
    }
}
