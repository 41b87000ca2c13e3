package io.conclave.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/models}: the three public model names, as OpenAI clients list models. */
@Path("/v1/models")
public final class ModelsResource {

    /** A fixed creation time (2026-01-01T00:00:00Z): the models are names, not artifacts. */
    static final long CREATED = 1_767_225_600L;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode list() {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (PublicModel model : PublicModel.values()) {
            ObjectNode entry = data.addObject();
            entry.put("id", model.id());
            entry.put("object", "model");
            entry.put("created", CREATED);
            entry.put("owned_by", "conclave");
        }
        return list;
    }
}
