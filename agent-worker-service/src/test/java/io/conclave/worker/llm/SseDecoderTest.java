package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

    private final SseDecoder decoder = new SseDecoder();

    @Test
    void emitsTheDataOfEachEvent() {
        assertEquals(List.of("{\"a\":1}", "[DONE]"), decoder.feed(bytes("data: {\"a\":1}\n\ndata: [DONE]\n\n")));
    }

    @Test
    void joinsEventsSplitAcrossBuffersAtAnyByte() {
        String stream = "data: {\"content\":\"caf\u00e9 \u2603\"}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\n";
        byte[] all = bytes(stream);
        for (int cut = 1; cut < all.length; cut++) {
            SseDecoder fresh = new SseDecoder();
            List<String> events = new ArrayList<>(fresh.feed(java.util.Arrays.copyOfRange(all, 0, cut)));
            events.addAll(fresh.feed(java.util.Arrays.copyOfRange(all, cut, all.length)));
            assertEquals(List.of("{\"content\":\"caf\u00e9 \u2603\"}", "[DONE]"), events, "cut at " + cut);
        }
    }

    @Test
    void skipsCommentsAndOtherFields() {
        assertEquals(List.of("x"), decoder.feed(bytes(": ping\nevent: message\nid: 7\nretry: 10\ndata: x\n\n")));
        assertEquals(List.of(), decoder.feed(bytes("event: only\n\n")));
    }

    @Test
    void joinsSeveralDataLinesOfOneEvent() {
        assertEquals(List.of("line one\nline two\n"), decoder.feed(bytes("data: line one\ndata:line two\ndata\n\n")));
    }

    @Test
    void finishReturnsAnEventWithoutTheClosingBlankLine() {
        assertEquals(List.of(), decoder.feed(bytes("data: tail")));
        assertEquals(List.of("tail"), decoder.finish());
        assertEquals(List.of(), decoder.finish());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
