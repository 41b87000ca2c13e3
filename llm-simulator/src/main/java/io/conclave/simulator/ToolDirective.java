package io.conclave.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool call the simulator is told to ask for, so tests can drive a client's tool loop deterministically: a
 * user or system message holding {@code <tool_call name="calculator">{"expression": "6*7"}</tool_call>} makes the
 * simulator answer with that call — when the request offers a tool of that name — instead of text. Several
 * directives are asked for one per turn, in order: the n-th call is asked once the conversation holds n-1 tool
 * results, and once every directive has its result the simulator answers with text as usual.
 *
 * @param name      the function to call
 * @param arguments the JSON arguments, as the model would send them (a string)
 */
record ToolDirective(String name, String arguments) {

    static final Pattern SYNTAX = Pattern.compile("<tool_call name=\"([A-Za-z0-9_.:-]{1,64})\">(.*?)</tool_call>",
            Pattern.DOTALL);

    /** The directive to answer this request with, or null when it gets a text answer. */
    static ToolDirective next(ChatRequest request) {
        if (request.offeredTools().isEmpty()) {
            return null;
        }
        List<ToolDirective> directives = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            if (!message.role().equals("user") && !message.role().equals("system")) {
                continue;
            }
            Matcher matcher = SYNTAX.matcher(message.content());
            while (matcher.find()) {
                if (request.offeredTools().contains(matcher.group(1))) {
                    directives.add(new ToolDirective(matcher.group(1), matcher.group(2).strip()));
                }
            }
        }
        int answered = request.toolResults();
        return answered < directives.size() ? directives.get(answered) : null;
    }

    /** A call ID that is the same for the same conversation turn. */
    String callId(int turn) {
        return "call_sim_" + turn + "_" + Integer.toHexString((name + arguments).hashCode());
    }
}
