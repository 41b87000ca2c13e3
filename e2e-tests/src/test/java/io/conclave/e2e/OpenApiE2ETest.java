package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 3, docs: the gateway serves its OpenAPI document and Swagger UI from the packaged (production) build. */
@ExtendWith(MeshExtension.class)
class OpenApiE2ETest {

    private final Mesh mesh;

    OpenApiE2ETest(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void theOpenApiDocumentDescribesEveryPublicEndpoint() throws Exception {
        JsonHttp.Reply reply = JsonHttp.get(mesh.gatewayUrl() + "/q/openapi?format=json");

        assertEquals(200, reply.status(), String.valueOf(reply.body()));
        JsonNode paths = reply.body().path("paths");
        for (String path : List.of("/v1/chat/completions", "/v1/models", "/v1/requests", "/v1/requests/{id}",
                "/v1/requests/{id}/events")) {
            assertTrue(paths.has(path), path + " is documented: " + paths.fieldNames());
        }
        assertTrue(paths.path("/v1/chat/completions").has("post"), paths.path("/v1/chat/completions").toString());
        assertTrue(paths.path("/v1/requests/{id}").has("delete"), paths.path("/v1/requests/{id}").toString());
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        ApiHttp.Reply reply = ApiHttp.get(mesh.gatewayUrl() + "/q/swagger-ui/", null);

        assertEquals(200, reply.status(), reply.text());
        assertTrue(reply.text().contains("swagger-ui"), "an HTML page that loads Swagger UI");
    }
}
