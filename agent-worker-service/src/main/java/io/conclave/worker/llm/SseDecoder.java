package io.conclave.worker.llm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a server-sent-events byte stream into the {@code data} of its events, whatever the network's chunking:
 * a line (or a multi-byte character) split across two buffers is joined before it is decoded. Lines end in LF
 * or CRLF; {@code :} comments and fields other than {@code data} are skipped; an event's several {@code data}
 * lines are joined with LF, as the SSE specification says. One instance per response; not thread-safe.
 */
public final class SseDecoder {

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    /** A {@code data} line without a colon: an empty value. */
    private static final byte[] FIELD = "data".getBytes(StandardCharsets.US_ASCII);

    /** The start of a line that did not end in the bytes fed so far. */
    private byte[] pending = new byte[0];
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** @return the data of each event completed by these bytes, in order */
    public List<String> feed(byte[] bytes) {
        List<String> events = new ArrayList<>(2);
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                if (pending.length == 0) {
                    endLine(bytes, from, i, events);
                } else {
                    byte[] line = join(pending, bytes, from, i);
                    pending = new byte[0];
                    endLine(line, 0, line.length, events);
                }
                from = i + 1;
            }
        }
        if (from < bytes.length) {
            pending = join(pending, bytes, from, bytes.length);
        }
        return events;
    }

    /** @return the data of an event the stream ended without a blank line after, if any */
    public List<String> finish() {
        List<String> events = new ArrayList<>(1);
        if (pending.length > 0) {
            byte[] line = pending;
            pending = new byte[0];
            endLine(line, 0, line.length, events);
        }
        dispatch(events);
        return events;
    }

    private static byte[] join(byte[] head, byte[] bytes, int from, int to) {
        byte[] joined = Arrays.copyOf(head, head.length + to - from);
        System.arraycopy(bytes, from, joined, head.length, to - from);
        return joined;
    }

    /** One line, {@code bytes[from, to)} without its LF; a CR before the LF is dropped. */
    private void endLine(byte[] bytes, int from, int to, List<String> events) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        if (end == from) {
            dispatch(events);
        } else if (startsWith(bytes, from, end, DATA)) {
            int value = from + DATA.length;
            if (value < end && bytes[value] == ' ') {
                value++;
            }
            appendData(new String(bytes, value, end - value, StandardCharsets.UTF_8));
        } else if (end - from == FIELD.length && startsWith(bytes, from, end, FIELD)) {
            appendData("");
        }
    }

    private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
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
