package io.conclave.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanningReplyTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aPlanningPromptGetsAJsonListOfSubQuestions() throws Exception {
        Completion plan = PlanningReply.of(request(PlanningReply.MARKER + " Give at most 2 sub-questions.",
                "Is \"6 times 7\" 42?"));
        JsonNode json = mapper.readTree(plan.text());
        assertEquals(2, json.get("sub_questions").size());
        assertEquals("What facts and definitions does this rest on: Is \"6 times 7\" 42?",
                json.get("sub_questions").get(0).asText());
        assertEquals(plan.text(), PlanningReply.of(request(PlanningReply.MARKER + " at most 2", "Is \"6 times 7\" 42?"))
                .text(), "deterministic");
    }

    @Test
    void withoutALimitThreeAndNeverMore() throws Exception {
        assertEquals(3, mapper.readTree(PlanningReply.of(request(PlanningReply.MARKER, "q")).text())
                .get("sub_questions").size());
        assertEquals(3, mapper.readTree(PlanningReply.of(request(PlanningReply.MARKER + " at most 9", "q")).text())
                .get("sub_questions").size());
    }

    @Test
    void aBadPlanDirectiveGetsTextThatIsNotJson() {
        Completion plan = PlanningReply.of(request(PlanningReply.MARKER, "q " + PlanningReply.BAD_PLAN));
        assertThrows(Exception.class, () -> mapper.readTree(plan.text()).get("sub_questions").size());
    }

    @Test
    void otherPromptsAreNotPlanningCalls() {
        assertNull(PlanningReply.of(request("You are the solver.", "q")));
    }

    private static ChatRequest request(String system, String user) {
        return new ChatRequest("m", 0.5, null, false, false,
                List.of(new ChatMessage("system", system), new ChatMessage("user", user)));
    }
}
