package io.conclave.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads a server-sent event stream line by line, noting when each line arrived, for timing assertions. */
final class SseLines {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line of the stream and the milliseconds since the request was sent. */
    record Line(String text, long atMillis) {
    }

    /** The status, headers and timed lines of one streamed reply (the whole body when it is not a stream). */
    record Stream(int status, String contentType, String correlationId, List<Line> lines) {
        List<String> data() {
            return lines.stream().map(Line::text).filter(text -> text.startsWith("data: "))
                    .map(text -> text.substring("data: ".length())).toList();
        }
    }

    private SseLines() {
    }

    static Stream post(String url, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return read(request.build());
    }

    static Stream get(String url) throws IOException, InterruptedException {
        return read(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET().build());
    }

    private static Stream read(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = CLIENT.send(request,
                HttpResponse.BodyHandlers.ofLines());
        List<Line> lines = new ArrayList<>();
        try (java.util.stream.Stream<String> body = response.body()) {
            for (Iterator<String> it = body.iterator(); it.hasNext(); ) {
                String text = it.next();
                lines.add(new Line(text, (System.nanoTime() - start) / 1_000_000));
            }
        }
        return new Stream(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                response.headers().firstValue("x-conclave-correlation-id").orElse(null), lines);
    }
}
