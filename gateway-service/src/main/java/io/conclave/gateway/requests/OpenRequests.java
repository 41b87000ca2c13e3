package io.conclave.gateway.requests;

import io.conclave.contracts.Mode;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.gateway.tenant.TenantLimits;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests this replica accepted that have no result yet: whose they are, what they asked for and how
 * their agents are doing, for {@code GET /v1/requests/{id}}, cancellation and the tenant's in-flight limit.
 * Bounded by the replica's pending bound: every entry holds a {@link TenantLimits.Permit}.
 */
@Singleton
public final class OpenRequests {

    private final Map<String, Open> open = new ConcurrentHashMap<>();

    public Open add(String correlationId, String tenant, String model, Mode mode, Instant submittedAt,
            TenantLimits.Permit permit) {
        Open request = new Open(correlationId, tenant, model, mode, submittedAt, permit);
        open.put(correlationId, request);
        return request;
    }

    public Optional<Open> get(String correlationId) {
        return Optional.ofNullable(open.get(correlationId));
    }

    /** The request ended (result, timeout, refusal): frees its permit. Idempotent. */
    public void close(String correlationId) {
        Open request = open.remove(correlationId);
        if (request != null) {
            request.permit.release();
        }
    }

    public void progress(ProgressUpdated event) {
        Open request = open.get(event.correlationId());
        if (request != null) {
            request.record(event);
        }
    }

    public int size() {
        return open.size();
    }

    /** One open request and its agents' progress so far. */
    public static final class Open {
        private final String correlationId;
        private final String tenant;
        private final String model;
        private final Mode mode;
        private final Instant submittedAt;
        private final TenantLimits.Permit permit;
        private final Map<String, AgentProgress> agents = new LinkedHashMap<>();
        private boolean planned;

        private Open(String correlationId, String tenant, String model, Mode mode, Instant submittedAt,
                TenantLimits.Permit permit) {
            this.correlationId = correlationId;
            this.tenant = tenant;
            this.model = model;
            this.mode = mode;
            this.submittedAt = submittedAt;
            this.permit = permit;
        }

        public String correlationId() {
            return correlationId;
        }

        public String tenant() {
            return tenant;
        }

        public String model() {
            return model;
        }

        public Mode mode() {
            return mode;
        }

        public Instant submittedAt() {
            return submittedAt;
        }

        /** {@code queued} until the planner reports the plan, then {@code running}. */
        public synchronized String status() {
            return planned || !agents.isEmpty() ? "running" : "queued";
        }

        public synchronized List<AgentProgress> agents() {
            return List.copyOf(agents.values());
        }

        private synchronized void record(ProgressUpdated event) {
            if (event.kind() == ProgressKind.PLANNED) {
                planned = true;
                return;
            }
            String agent = event.agentId() != null ? event.agentId() : event.subtaskId();
            if (agent == null || event.kind() == ProgressKind.DELTA && agents.containsKey(agent)) {
                return;
            }
            String state = switch (event.kind()) {
                case AGENT_FINISHED -> "finished";
                default -> "running";
            };
            AgentProgress previous = agents.get(agent);
            if (previous != null && "finished".equals(previous.state())) {
                return;
            }
            agents.put(agent, new AgentProgress(agent, event.role(), state));
        }
    }

    /** How far one agent (or the synthesis) got, as progress reported it. */
    public record AgentProgress(String id, String role, String state) {
    }
}
