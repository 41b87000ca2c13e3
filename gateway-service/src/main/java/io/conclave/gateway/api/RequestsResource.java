package io.conclave.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.RequestCompleted;
import io.conclave.gateway.progress.ProgressHub;
import io.conclave.gateway.progress.Update;
import io.conclave.gateway.reply.Reply;
import io.conclave.gateway.reply.ReplyMapper;
import io.conclave.gateway.reply.ResultCache;
import io.conclave.gateway.requests.OpenRequests;
import io.conclave.gateway.submit.Cancellations;
import io.conclave.gateway.tenant.Tenants;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Async requests by correlation ID: submit and come back later, from any replica for as long as the
 * results cache keeps the result (an hour by default, replayed from {@code conclave.results} on startup).
 * A tenant sees only its own requests: another tenant's id is a 404, as if it did not exist.
 */
@Path("/v1/requests")
@Tag(name = "requests", description = "Async requests by correlation ID")
public final class RequestsResource {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** SSE comment lines keep idle connections (and proxies) from timing out while agents think. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final ChatCompletions completions;
    private final Tenants tenants;
    private final ResultCache results;
    private final OpenRequests open;
    private final ProgressHub hub;
    private final ReplyMapper mapper;
    private final Cancellations cancellations;

    @Inject
    public RequestsResource(ChatCompletions completions, Tenants tenants, ResultCache results, OpenRequests open,
            ProgressHub hub, ReplyMapper mapper, Cancellations cancellations) {
        this.completions = completions;
        this.tenants = tenants;
        this.results = results;
        this.open = open;
        this.hub = hub;
        this.mapper = mapper;
        this.cancellations = cancellations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a chat completion request; 202 with its id")
    public Uni<Response> submit(String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return completions.submit(completions.accept(body, authorization));
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A request's status, its agents so far, and its result once finished")
    public Response get(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String tenant = tenants.authenticate(authorization);
        Optional<RequestCompleted> result = results.get(id).filter(r -> tenant.equals(r.tenantId()));
        if (result.isPresent()) {
            return json(200, finished(result.get()));
        }
        return json(200, running(openOf(id, tenant)));
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a request; its workers are told to stop")
    public Uni<Response> cancel(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String tenant = tenants.authenticate(authorization);
        Optional<RequestCompleted> result = results.get(id).filter(r -> tenant.equals(r.tenantId()));
        if (result.isPresent()) {
            throw new ApiError(409, ApiError.INVALID_REQUEST, "request_finished", "request '" + id + "' has already"
                    + " finished (" + result.get().status().name().toLowerCase(Locale.ROOT) + "); nothing to cancel",
                    null).exception();
        }
        OpenRequests.Open request = openOf(id, tenant);
        return cancellations.cancel(request, "cancelled by the client")
                .map(ignored -> {
                    ObjectNode body = JSON.objectNode();
                    body.put("id", id);
                    body.put("object", "conclave.request");
                    body.put("status", "cancelled");
                    return json(200, body);
                })
                .onFailure().recoverWithItem(failure -> new ApiError(503, "service_unavailable", "not_cancelled",
                        "the cancellation could not be queued; retry", null, 2L).toResponse());
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: the request's progress (planned, agent_started, agent_finished,"
            + " delta), then its result")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @jakarta.ws.rs.core.Context Sse sse) {
        String tenant = tenants.authenticate(authorization);
        Optional<RequestCompleted> result = results.get(id).filter(r -> tenant.equals(r.tenantId()));
        if (result.isPresent()) {
            return Multi.createFrom().item(resultEvent(sse, result.get()));
        }
        openOf(id, tenant);
        ProgressHub.Watch watch = hub.open(id);
        // The result may have arrived between the look-up and the watch.
        Optional<RequestCompleted> raced = results.get(id);
        if (raced.isPresent()) {
            watch.close();
            return Multi.createFrom().item(resultEvent(sse, raced.get()));
        }
        OutboundSseEvent end = sse.newEventBuilder().comment("end").build();
        Multi<OutboundSseEvent> updates = Multi.createBy().concatenating().streams(
                watch.updates().map(update -> update instanceof Update.Finished finished
                        ? resultEvent(sse, finished.result())
                        : progressEvent(sse, (Update.Progress) update)),
                Multi.createFrom().item(end));
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(HEARTBEAT)
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        // Ends after the result: the sentinel stops the merge, which cancels the heartbeats.
        return Multi.createBy().merging().streams(updates, heartbeats)
                .select().first(event -> event != end)
                .onTermination().invoke(watch::close);
    }

    private OpenRequests.Open openOf(String id, String tenant) {
        return open.get(id).filter(request -> tenant.equals(request.tenant()))
                .orElseThrow(() -> new ApiError(404, ApiError.INVALID_REQUEST, "request_not_found", "no request '" + id
                        + "' for this API key (finished requests are kept for up to an hour, fewer when many finish)",
                        "id").exception());
    }

    private ObjectNode finished(RequestCompleted result) {
        Reply reply = mapper.map(result, result.model(), result.submittedAt() != null ? result.submittedAt()
                : result.occurredAt());
        ObjectNode body = JSON.objectNode();
        body.put("id", result.correlationId());
        body.put("object", "conclave.request");
        body.put("status", result.status().name().toLowerCase(Locale.ROOT));
        body.put("model", result.model());
        if (result.submittedAt() != null) {
            body.put("created", result.submittedAt().getEpochSecond());
        }
        body.set("agents", reply.body().at("/conclave/agents"));
        body.set("result", reply.body());
        return body;
    }

    private static ObjectNode running(OpenRequests.Open request) {
        ObjectNode body = JSON.objectNode();
        body.put("id", request.correlationId());
        body.put("object", "conclave.request");
        body.put("status", request.status());
        body.put("model", request.model());
        body.put("created", request.submittedAt().getEpochSecond());
        ArrayNode agents = body.putArray("agents");
        for (OpenRequests.AgentProgress agent : request.agents()) {
            ObjectNode node = agents.addObject();
            node.put("id", agent.id());
            node.put("role", agent.role());
            node.put("status", agent.state());
        }
        return body;
    }

    private OutboundSseEvent resultEvent(Sse sse, RequestCompleted result) {
        return sse.newEventBuilder().name("result").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(finished(result).toString()).build();
    }

    private static OutboundSseEvent progressEvent(Sse sse, Update.Progress progress) {
        var event = progress.event();
        ObjectNode data = JSON.objectNode();
        data.put("kind", event.kind().name().toLowerCase(Locale.ROOT));
        data.put("subtask_id", event.subtaskId());
        data.put("agent_id", event.agentId());
        data.put("role", event.role());
        if (event.kind() == ProgressKind.DELTA) {
            data.put("delta", event.delta());
            data.put("sequence", event.sequence());
        }
        return sse.newEventBuilder().name(data.get("kind").asText()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(data.toString()).build();
    }

    private static Response json(int status, ObjectNode body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
