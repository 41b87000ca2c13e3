package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.worker.llm.ToolSpec;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** {@code current_time}: the worker's clock, in UTC or a named time zone — a model does not know what time it is. */
final class CurrentTimeTool implements Tool {

    static final String NAME = "current_time";
    private final ToolSpec spec;
    private final Clock clock;

    CurrentTimeTool(ObjectMapper mapper, Clock clock) {
        this.clock = clock;
        this.spec = new ToolSpec(NAME, "Returns the current date and time (ISO-8601) with the day of the week.",
                Schemas.object(mapper, "timezone", "optional IANA time zone such as Europe/Paris; default UTC"));
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public Uni<String> call(JsonNode arguments) {
        return Uni.createFrom().item(() -> {
            String zone = arguments.path("timezone").asText("");
            ZoneId id;
            try {
                id = zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new ToolException("unknown time zone '" + zone + "'; use an IANA name such as Europe/Paris");
            }
            ZonedDateTime now = ZonedDateTime.now(clock.withZone(id));
            return now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + now.getDayOfWeek() + ", " + id + ")";
        });
    }
}
