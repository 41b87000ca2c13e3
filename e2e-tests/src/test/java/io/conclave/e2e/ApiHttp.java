package io.conclave.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls to the gateway's API with any method, an optional API key and any content type. */
final class ApiHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A reply: status, the raw text, the body as JSON (a text node when it is not JSON), and a header look-up. */
    record Reply(int status, String text, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private ApiHttp() {
    }

    static Reply send(String method, String url, String key, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return toReply(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    static Reply post(String url, String key, String body) throws IOException, InterruptedException {
        return send("POST", url, key, "application/json", body);
    }

    static Reply get(String url, String key) throws IOException, InterruptedException {
        return send("GET", url, key, null, null);
    }

    static Reply delete(String url, String key) throws IOException, InterruptedException {
        return send("DELETE", url, key, null, null);
    }

    static Reply toReply(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JsonHttp.JSON.readTree(response.body());
        } catch (IOException notJson) {
            body = JsonHttp.JSON.getNodeFactory().textNode(response.body());
        }
        return new Reply(response.statusCode(), response.body(), body, response);
    }
}
