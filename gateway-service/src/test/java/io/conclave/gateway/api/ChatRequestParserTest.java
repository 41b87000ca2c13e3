package io.conclave.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.AgentChoice;
import io.conclave.contracts.Mode;
import io.conclave.contracts.Strategy;
import io.conclave.gateway.support.TestGatewayConfigs;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of chat completion bodies: what is accepted, and a 400 naming the field for each malformed input. */
class ChatRequestParserTest {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private final ChatRequestParser parser = new ChatRequestParser(new ObjectMapper(), TestGatewayConfigs.with(Map.of()));

    @ParameterizedTest
    @CsvSource({"minimal, INSTANT", "low, INSTANT", "medium, THINKING", "high, CONTEMPLATING"})
    void theModelConclaveTakesItsModeFromTheReasoningEffort(String effort, Mode mode) {
        ChatRequest request = parser.parse("{\"model\":\"conclave\",\"reasoning_effort\":\"" + effort + "\","
                + MESSAGES + "}");
        assertEquals(mode, request.model().mode());
        assertEquals("conclave", request.modelName());
    }

    @Test
    void theModelConclaveWithoutEffortThinksAndANamedModelIgnoresTheEffort() {
        assertEquals(Mode.THINKING, parser.parse("{\"model\":\"conclave\"," + MESSAGES + "}").model().mode());
        assertEquals(Mode.INSTANT, parser.parse("{\"model\":\"conclave-instant\",\"reasoning_effort\":\"high\","
                + MESSAGES + "}").model().mode());
    }

    @Test
    void streamingAsksForUsageOnlyWhenTold() {
        ChatRequest plain = parser.parse("{\"model\":\"conclave-instant\",\"stream\":true," + MESSAGES + "}");
        assertTrue(plain.stream());
        assertFalse(plain.includeUsage());
        ChatRequest usage = parser.parse("{\"model\":\"conclave-instant\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}," + MESSAGES + "}");
        assertTrue(usage.includeUsage());
    }

    @Test
    void aMinimalRequestLeavesEveryOptionToThePlanner() {
        ChatRequest request = parser.parse("{\"model\":\"conclave-contemplating\"," + MESSAGES + "}");

        assertEquals(PublicModel.CONTEMPLATING, request.model());
        assertEquals(Mode.CONTEMPLATING, request.model().mode());
        assertEquals(List.of(new ChatMessage("user", "hi")), request.messages());
        assertNull(request.maxTokens());
        assertNull(request.temperature());
        assertFalse(request.stream());
        assertNull(request.agents());
        assertNull(request.strategy());
        assertNull(request.deadlineMs());
        assertNull(request.quorum());
    }

    @Test
    void everyOptionIsRead() {
        ChatRequest request = parser.parse("""
                {"model":"conclave-contemplating",
                 "messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],
                 "max_tokens":300,"temperature":1.5,"stream":false,
                 "conclave":{"agents":6,"strategy":"vote","deadline_ms":45000,"quorum":4},
                 "top_p":0.9,"user":"someone"}""");

        assertEquals(2, request.messages().size());
        assertEquals(300, request.maxTokens());
        assertEquals(1.5, request.temperature());
        assertEquals(6, request.agents());
        assertEquals(Strategy.VOTE, request.strategy());
        assertEquals(45_000L, request.deadlineMs());
        assertEquals(4, request.quorum());
    }

    @ParameterizedTest
    @CsvSource({"conclave-instant, INSTANT", "conclave-thinking, THINKING", "conclave-contemplating, CONTEMPLATING"})
    void eachModelNamesItsMode(String model, Mode mode) {
        assertEquals(mode, parser.parse("{\"model\":\"" + model + "\"," + MESSAGES + "}").model().mode());
    }

    @Test
    void textPartsAreJoinedIntoOneString() {
        ChatRequest request = parser.parse("{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"first\"},{\"type\":\"text\",\"text\":\"second\"}]}]}");
        assertEquals("first\nsecond", request.messages().get(0).content());
    }

    @Test
    void agentsMayBeNamedOneByOneWithRoleModelAndProvider() {
        ChatRequest request = parser.parse("{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":"
                + "{\"agents\":[{\"role\":\"solver\",\"model\":\"gpt-x\",\"provider\":\"fast\"},{\"role\":\"skeptic\"}],"
                + "\"strategy\":\"vote\",\"quorum\":2}}");
        assertEquals(2, request.agents());
        assertEquals(List.of(new AgentChoice("solver", "gpt-x", "fast"), new AgentChoice("skeptic", null, null)),
                request.agentChoices());
        assertNull(parser.parse("{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":3}}")
                .agentChoices());
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        ChatRequest request = parser.parse("{\"model\":\"conclave-instant\"," + MESSAGES
                + ",\"max_tokens\":100,\"max_completion_tokens\":200}");
        assertEquals(200, request.maxTokens());
    }

    @Test
    void nullOptionsCountAsLeftOut() {
        ChatRequest request = parser.parse("{\"model\":\"conclave-instant\"," + MESSAGES
                + ",\"max_tokens\":null,\"temperature\":null,\"stream\":null,\"conclave\":null}");
        assertNull(request.maxTokens());
        assertNull(request.temperature());
        assertFalse(request.stream());
    }

    @Test
    void allRolesAreAccepted() {
        ChatRequest request = parser.parse("{\"model\":\"conclave-instant\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"a\"},{\"role\":\"developer\",\"content\":\"b\"},"
                + "{\"role\":\"user\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":\"d\"},"
                + "{\"role\":\"tool\",\"content\":\"e\",\"tool_call_id\":\"t1\"}]}");
        assertEquals(List.of("system", "developer", "user", "assistant", "tool"),
                request.messages().stream().map(ChatMessage::role).toList());
    }

    @Test
    void boundaryValuesAreAccepted() {
        ChatRequest low = parser.parse("{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"max_tokens\":1,"
                + "\"temperature\":0,\"conclave\":{\"agents\":1,\"deadline_ms\":1000,\"quorum\":1}}");
        assertEquals(1, low.maxTokens());
        assertEquals(0.0, low.temperature());
        ChatRequest high = parser.parse("{\"model\":\"conclave-contemplating\"," + MESSAGES
                + ",\"max_tokens\":32768,\"temperature\":2,\"conclave\":{\"agents\":16,\"deadline_ms\":600000,"
                + "\"quorum\":16}}");
        assertEquals(32_768, high.maxTokens());
        assertEquals(600_000L, high.deadlineMs());
        assertEquals(16, high.quorum());
    }

    /** Each malformed body: the expected code and param, and a fragment the message must contain. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|invalid_json||empty",
            "`   `|invalid_json||empty",
            "{|invalid_json||not valid JSON",
            "{\"model\":\"conclave-instant\",|invalid_json||not valid JSON",
            "{\"model\":'conclave-instant'}|invalid_json||not valid JSON",
            "{} {}|invalid_json||not valid JSON",
            "{\"model\":\"conclave-instant\",\"model\":\"conclave-thinking\"," + MESSAGES + "}|invalid_json||not valid JSON",
            "[]|invalid_json||must be a JSON object",
            "\"hello\"|invalid_json||must be a JSON object",
            "42|invalid_json||must be a JSON object",
            "null|invalid_json||must be a JSON object",
            "true|invalid_json||must be a JSON object",
            "{}|missing_field|model|'model' is required",
            "{" + MESSAGES + "}|missing_field|model|'model' is required",
            "{\"model\":null," + MESSAGES + "}|missing_field|model|'model' is required",
            "{\"model\":7," + MESSAGES + "}|invalid_type|model|'model' must be a string",
            "{\"model\":[\"conclave-instant\"]," + MESSAGES + "}|invalid_type|model|'model' must be a string",
            "{\"model\":\"conclave-instant\"}|missing_field|messages|'messages' is required",
            "{\"model\":\"conclave-instant\",\"messages\":null}|missing_field|messages|'messages' is required",
            "{\"model\":\"conclave-instant\",\"messages\":{}}|invalid_type|messages|'messages' must be an array",
            "{\"model\":\"conclave-instant\",\"messages\":\"hi\"}|invalid_type|messages|'messages' must be an array",
            "{\"model\":\"conclave-instant\",\"messages\":[]}|invalid_value|messages|at least one message",
            "{\"model\":\"conclave-instant\",\"messages\":[\"hi\"]}|invalid_type|messages[0]|'messages[0]' must be an object",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"content\":\"hi\"}]}|missing_field|messages[0].role|'messages[0].role' is required",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":1,\"content\":\"hi\"}]}|invalid_type|messages[0].role|'messages[0].role' must be a string",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"bot\",\"content\":\"hi\"}]}|invalid_value|messages[0].role|got 'bot'",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\"}]}|missing_field|messages[1].content|'messages[1].content' is required",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":null}]}|missing_field|messages[0].content|'messages[0].content' is required",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":5}]}|invalid_type|messages[0].content|'messages[0].content' must be a string or an array",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":{}}]}|invalid_type|messages[0].content|'messages[0].content' must be a string or an array",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[]}]}|invalid_value|messages[0].content|at least one content part",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[\"hi\"]}]}|invalid_type|messages[0].content[0]|'messages[0].content[0]' must be a content part",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}|missing_field|messages[0].content[0].type|'messages[0].content[0].type' is required",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}|missing_field|messages[0].content[0].text|'messages[0].content[0].text' is required",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":3}]}]}|invalid_type|messages[0].content[0].text|'messages[0].content[0].text' must be a string",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}|invalid_value|messages[0].content[0].image_url.url|must be an https: URL or a data: URL",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}|missing_field|messages[0].content[0].image_url|'messages[0].content[0].image_url' is required",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"https://x/y.png\"}]}]}|invalid_type|messages[0].content[0].image_url|must be an object",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"max\"}}]}]}|invalid_value|messages[0].content[0].image_url.detail|must be one of auto, low, high",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}|invalid_value|messages[0].content|only in a user message",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}|invalid_value|messages[0].content[0].type|got 'input_audio'",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_tokens\":0}|invalid_value|max_tokens|'max_tokens' must be between 1 and 32768",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_tokens\":32769}|invalid_value|max_tokens|'max_tokens' must be between 1 and 32768",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_tokens\":-5}|invalid_value|max_tokens|got -5",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_tokens\":99999999999999999999999}|invalid_value|max_tokens|'max_tokens' must be between",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_tokens\":10.5}|invalid_type|max_tokens|'max_tokens' must be an integer",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_tokens\":\"100\"}|invalid_type|max_tokens|'max_tokens' must be an integer",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_completion_tokens\":0}|invalid_value|max_completion_tokens|'max_completion_tokens' must be between",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"max_completion_tokens\":true}|invalid_type|max_completion_tokens|'max_completion_tokens' must be an integer",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"temperature\":2.01}|invalid_value|temperature|'temperature' must be between",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"temperature\":-0.1}|invalid_value|temperature|'temperature' must be between",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"temperature\":\"hot\"}|invalid_type|temperature|'temperature' must be a number",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"stream\":\"yes\"}|invalid_type|stream|'stream' must be a boolean",
            "{\"model\":\"conclave\"," + MESSAGES + ",\"reasoning_effort\":\"extreme\"}|invalid_value|reasoning_effort|must be one of",
            "{\"model\":\"conclave\"," + MESSAGES + ",\"reasoning_effort\":3}|invalid_type|reasoning_effort|must be a string",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":true}}|invalid_value|stream_options|only allowed with",
            "{\"model\":\"conclave-instant\"," + MESSAGES + ",\"stream\":true,\"stream_options\":1}|invalid_type|stream_options|must be an object",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":4}|invalid_type|conclave|'conclave' must be an object",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":[]}|invalid_type|conclave|'conclave' must be an object",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":0}}|invalid_value|conclave.agents|'conclave.agents' must be between 1 and 16",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":17}}|invalid_value|conclave.agents|'conclave.agents' must be between 1 and 16",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":\"4\"}}|invalid_type|conclave.agents|'conclave.agents' must be an integer",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[]}}|invalid_value|conclave.agents|must list 1 to 16",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[3]}}|invalid_type|conclave.agents[0]|must be an object",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[{\"model\":\"m\"}]}}|missing_field|conclave.agents[0].role|is required",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[{\"role\":7}]}}|invalid_type|conclave.agents[0].role|must be a string",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[{\"role\":\"a\",\"tools\":1}]}}|invalid_value|conclave.agents[0].tools|not a known field",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[{\"role\":\"<script>\"}]}}|invalid_value|conclave.agents[0].role|must be 1 to 64",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":[{\"role\":\"a\"}],\"quorum\":2}}|invalid_value|conclave.quorum|must be between 1 and 1",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"strategy\":\"debate\"}}|invalid_value|conclave.strategy|got 'debate'",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"strategy\":\"single\"}}|invalid_value|conclave.strategy|got 'single'",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"strategy\":1}}|invalid_type|conclave.strategy|'conclave.strategy' must be a string",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"deadline_ms\":999}}|invalid_value|conclave.deadline_ms|'conclave.deadline_ms' must be between 1000 and 600000",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"deadline_ms\":600001}}|invalid_value|conclave.deadline_ms|'conclave.deadline_ms' must be between 1000 and 600000",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"deadline_ms\":1500.5}}|invalid_type|conclave.deadline_ms|'conclave.deadline_ms' must be an integer",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"quorum\":0}}|invalid_value|conclave.quorum|'conclave.quorum' must be between 1 and 16",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"agents\":3,\"quorum\":4}}|invalid_value|conclave.quorum|'conclave.quorum' must be between 1 and 3",
            "{\"model\":\"conclave-contemplating\"," + MESSAGES + ",\"conclave\":{\"deadline\":5000}}|invalid_value|conclave.deadline|'conclave.deadline' is not a known option",
    })
    void malformedBodiesAreRejectedNamingTheField(String body, String code, String param, String fragment) {
        ApiError error = assertThrows(ApiException.class, () -> parser.parse(body)).error();

        assertEquals(400, error.status(), error.toString());
        assertEquals("invalid_request_error", error.type());
        assertEquals(code, error.code(), error.toString());
        assertEquals(param, error.param(), error.toString());
        assertTrue(error.message().contains(fragment), "'" + error.message() + "' lacks '" + fragment + "'");
        if (param != null) {
            assertTrue(error.message().contains(param), "'" + error.message() + "' does not name " + param);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "", "CONCLAVE-INSTANT", "conclave-", "Conclave"})
    void anUnknownModelIsNotFound(String model) {
        ApiError error = assertThrows(ApiException.class,
                () -> parser.parse("{\"model\":\"" + model + "\"," + MESSAGES + "}")).error();
        assertEquals(404, error.status());
        assertEquals("model_not_found", error.code());
        assertEquals("model", error.param());
        assertTrue(error.message().contains("'" + model + "'"), error.message());
    }

    @Test
    void deeplyNestedJsonIsRejectedAsInvalid() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        ApiError error = assertThrows(ApiException.class,
                () -> parser.parse("{\"model\":\"conclave-instant\"," + MESSAGES + ",\"x\":" + deep + "}")).error();
        assertEquals(400, error.status());
        assertEquals("invalid_json", error.code());
    }

    @Test
    void theErrorBodyHasTheOpenAiShape() {
        ApiError error = assertThrows(ApiException.class, () -> parser.parse("{\"model\":\"conclave-instant\"}"))
                .error();
        assertEquals("{\"error\":{\"message\":\"'messages' is required\",\"type\":\"invalid_request_error\","
                + "\"code\":\"missing_field\",\"param\":\"messages\"}}", error.body().toString());
        assertEquals("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":\"c\",\"param\":null}}",
                new ApiError(400, "t", "c", "m", null).body().toString());
    }
}
