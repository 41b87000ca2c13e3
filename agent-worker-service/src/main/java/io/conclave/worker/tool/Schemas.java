package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON schemas of the built-in tools' arguments. */
final class Schemas {

    private Schemas() {
    }

    /** An object with one string property, required unless {@code description} says optional. */
    static JsonNode object(ObjectMapper mapper, String property, String description) {
        ObjectNode schema = mapper.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject(property).put("type", "string").put("description", description);
        if (!description.startsWith("optional")) {
            schema.putArray("required").add(property);
        }
        return schema;
    }
}
