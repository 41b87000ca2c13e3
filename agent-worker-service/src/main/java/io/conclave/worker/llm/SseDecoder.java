package io.conclave.worker.llm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a server-sent-events byte stream into the {@code data} of its events, whatever the network's chunking:
 * a line (or a multi-byte character) split across two buffers is joined before it is decoded. Lines end in LF
 * or CRLF; {@code :} comments and fields other than {@code data} are skipped; an event's several {@code data}
 * lines are joined with LF, as the SSE specification says. One instance per response; not thread-safe.
 */
public final class SseDecoder {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** @return the data of each event completed by these bytes, in order */
    public List<String> feed(byte[] bytes) {
        List<String> events = new ArrayList<>(2);
        for (byte b : bytes) {
            if (b == '\n') {
                endLine(events);
            } else {
                line.write(b);
            }
        }
        return events;
    }

    /** @return the data of an event the stream ended without a blank line after, if any */
    public List<String> finish() {
        List<String> events = new ArrayList<>(1);
        if (line.size() > 0) {
            endLine(events);
        }
        dispatch(events);
        return events;
    }

    private void endLine(List<String> events) {
        byte[] raw = line.toByteArray();
        line.reset();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        String text = new String(raw, 0, length, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            dispatch(events);
        } else if (text.startsWith("data:")) {
            appendData(text.substring(text.startsWith("data: ") ? 6 : 5));
        } else if (text.equals("data")) {
            appendData("");
        }
    }

    private void appendData(String value) {
        if (hasData) {
            data.append('\n');
        }
        data.append(value);
        hasData = true;
    }

    private void dispatch(List<String> events) {
        if (hasData) {
            events.add(data.toString());
            data.setLength(0);
            hasData = false;
        }
    }
}
