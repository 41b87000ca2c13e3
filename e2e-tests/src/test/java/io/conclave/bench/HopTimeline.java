package io.conclave.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where a request's time goes between the services, read back from the topics after a run: every record's
 * timestamp is its producer's clock at send time, and the workers' outcomes carry their own latency and LLM time,
 * so each hop (gateway → planner → worker → aggregator → worker → aggregator → gateway) gets a duration without
 * instrumenting the services. All processes share one clock here.
 */
public final class HopTimeline {

    /** A hop that a request's records do not give (a milestone not seen); a real hop may be negative. */
    static final long MISSING = Long.MIN_VALUE;

    /** One request's milestones, epoch milliseconds (0 when not seen). */
    static final class Trace {
        long received;
        long submitted;
        long planned;
        long lastSubtaskSent;
        long maxAgentWorkerOverhead;
        long lastPartial;
        long synthesisAssigned;
        long synthesisTaken;
        long synthesisWorkerOverhead;
        long synthesisDone;
        long resultPublished;
        /** The LLM time on the request's critical path, as its result gives it (the workers' own timing). */
        long llmMs;
        long clientDone;
        final Map<String, Long> subtaskSent = new HashMap<>();
        final Map<String, Long> subtaskTaken = new HashMap<>();

        /** The longest wait of any agent's sub-task between its record and the worker taking it. */
        long maxAgentPickupDelay() {
            return agentPickupDelay(true);
        }

        /** The shortest such wait: how far the slowest agent's is from it tells what the fan-out adds. */
        long minAgentPickupDelay() {
            return agentPickupDelay(false);
        }

        private long agentPickupDelay(boolean longest) {
            long found = MISSING;
            for (Map.Entry<String, Long> taken : subtaskTaken.entrySet()) {
                Long sent = subtaskSent.get(taken.getKey());
                if (sent != null) {
                    long delay = taken.getValue() - sent;
                    found = found == MISSING ? delay : longest ? Math.max(found, delay) : Math.min(found, delay);
                }
            }
            return found;
        }

        /**
         * The stretches of the request's critical path outside the model, epoch ms, each {from, to}: from the
         * gateway's HTTP receipt to the slowest agent taken, from the last partial to the synthesis taken, and from
         * the last outcome to the client's reply (without a synthesis, from the last partial to the reply). A stretch
         * whose ends are not both known is left out.
         */
        List<long[]> legs() {
            long slowestTaken = subtaskTaken.values().stream().mapToLong(Long::longValue).max().orElse(0);
            List<long[]> legs = new ArrayList<>(3);
            addLeg(legs, received, slowestTaken);
            if (synthesisAssigned != 0) {
                addLeg(legs, lastPartial, synthesisTaken);
                addLeg(legs, synthesisDone, clientDone);
            } else {
                addLeg(legs, lastPartial, clientDone);
            }
            return legs;
        }

        private static void addLeg(List<long[]> legs, long from, long to) {
            if (from != 0 && to != 0 && to >= from) {
                legs.add(new long[] {from, to});
            }
        }
    }

    /** The hops, in order, with how each is computed from a trace. */
    static final Map<String, ToLongFunction<Trace>> HOPS = new LinkedHashMap<>();

    static {
        HOPS.put("gateway: HTTP in → request sent", t -> diff(t.received, t.submitted));
        HOPS.put("planner: request → plan sent", t -> diff(t.submitted, t.planned));
        HOPS.put("planner: plan → last sub-task sent", t -> diff(t.planned, t.lastSubtaskSent));
        HOPS.put("worker: sub-task sent → taken (slowest agent)", Trace::maxAgentPickupDelay);
        // Not a hop of its own (the medians of the others add up to the path): the same wait for the first agent.
        HOPS.put("worker: sub-task sent → taken (first agent; not on the path)", Trace::minAgentPickupDelay);
        HOPS.put("worker: outside the LLM call (slowest agent)", t -> t.lastSubtaskSent == 0 ? MISSING
                : t.maxAgentWorkerOverhead);
        HOPS.put("aggregator: last partial → synthesis sent", t -> diff(t.lastPartial, t.synthesisAssigned));
        HOPS.put("worker: synthesis sent → taken", t -> diff(t.synthesisAssigned, t.synthesisTaken));
        HOPS.put("worker: synthesis outside the LLM call", t -> t.synthesisAssigned == 0 ? MISSING
                : t.synthesisWorkerOverhead);
        HOPS.put("aggregator: last outcome → result sent", t -> diff(t.synthesisDone != 0 ? t.synthesisDone
                : t.lastPartial, t.resultPublished));
        HOPS.put("gateway: result sent → client has reply", t -> diff(t.resultPublished, t.clientDone));
    }

    private HopTimeline() {
    }

    /**
     * Reads the records of {@code [fromMs, toMs]} from the request, join, sub-task and result topics and returns each
     * request's milestones by correlation ID; {@link #summarize} makes the hops of them.
     *
     * @param clientDone epoch ms at which the client had each reply, by correlation ID
     */
    static Map<String, Trace> read(String bootstrap, long fromMs, long toMs, Map<String, Long> clientDone) {
        Map<String, Trace> traces = new HashMap<>();
        clientDone.forEach((id, at) -> traces.computeIfAbsent(id, k -> new Trace()).clientDone = at);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of("conclave.requests", "conclave.join", "conclave.subtasks",
                    "conclave.results")) {
                for (PartitionInfo info : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, fromMs));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<TopicPartition> pending = new ArrayList<>();
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp start = starts.get(p);
                if (start == null) {
                    consumer.seek(p, ends.get(p));
                } else {
                    consumer.seek(p, start.offset());
                    pending.add(p);
                }
            }
            long giveUp = System.currentTimeMillis() + 30_000;
            while (!pending.isEmpty() && System.currentTimeMillis() < giveUp) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.timestamp() <= toMs) {
                        read(record, traces);
                    }
                }
                pending.removeIf(p -> consumer.position(p) >= ends.get(p));
            }
        }
        return traces;
    }

    /**
     * The median, p99 and count of each hop over the requests the client saw answered. A hop's negative values
     * count (the planner sends a plan and its sub-tasks together, so the last sub-task's timestamp can come first);
     * only a request without the hop's milestones is left out.
     */
    static Map<String, long[]> summarize(Collection<Trace> traces) {
        Map<String, long[]> hops = new LinkedHashMap<>();
        HOPS.forEach((name, hop) -> {
            long[] values = traces.stream().filter(t -> t.clientDone != 0 && t.submitted != 0)
                    .mapToLong(hop).filter(v -> v != MISSING).sorted().toArray();
            if (values.length > 0) {
                hops.put(name, new long[] {Percentiles.rank(values, 50), Percentiles.rank(values, 99),
                        values.length});
            }
        });
        return hops;
    }

    /** The LLM time on the critical path of every answered request that has a result, sorted. */
    static long[] criticalPathLlmMs(Collection<Trace> traces) {
        return traces.stream().filter(t -> t.clientDone != 0 && t.resultPublished != 0)
                .mapToLong(t -> t.llmMs).sorted().toArray();
    }

    /**
     * Each answered request's time outside the gateway, sorted: its latency at the client minus the gateway's own time
     * ({@code x-conclave-overhead-ms}) and its critical path's LLM time, each in whole milliseconds, so a request's
     * value is good to about a millisecond: the client's HTTP legs to and from the gateway.
     */
    static long[] clientLegsMs(Map<String, Trace> traces, List<OpenLoad.Sample> samples) {
        List<Long> legs = new ArrayList<>();
        for (OpenLoad.Sample sample : samples) {
            Trace trace = traces.get(sample.outcome().correlationId());
            if (sample.outcome().ok() && sample.outcome().overheadMs() >= 0 && trace != null
                    && trace.resultPublished != 0) {
                legs.add(Math.round(sample.latencyNanos() / 1e6) - sample.outcome().overheadMs() - trace.llmMs);
            }
        }
        return legs.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static void read(ConsumerRecord<String, byte[]> record, Map<String, Trace> traces) {
        JsonNode event;
        try {
            event = LoadClients.JSON.readTree(record.value());
        } catch (Exception e) {
            return;
        }
        String id = event.path("correlationId").asText(null);
        if (id == null) {
            return;
        }
        Trace t = traces.computeIfAbsent(id, k -> new Trace());
        long ts = record.timestamp();
        switch (record.topic()) {
            case "conclave.requests" -> {
                t.submitted = ts;
                t.received = epochMs(event.path("occurredAt"));
            }
            case "conclave.subtasks" -> {
                if (isSynthesis(event)) {
                    t.synthesisAssigned = ts;
                } else {
                    t.subtaskSent.put(event.path("subtaskId").asText(), ts);
                    t.lastSubtaskSent = Math.max(t.lastSubtaskSent, ts);
                }
            }
            case "conclave.join" -> {
                String type = event.path("type").asText();
                if (type.equals("PlanCreated")) {
                    t.planned = ts;
                } else {
                    long latency = event.path("latencyMs").asLong();
                    long llm = event.path("llmMs").asLong();
                    long taken = ts - latency;
                    if (isSynthesis(event)) {
                        t.synthesisDone = ts;
                        t.synthesisTaken = taken;
                        t.synthesisWorkerOverhead = latency - llm;
                    } else {
                        t.subtaskTaken.put(event.path("subtaskId").asText(), taken);
                        t.lastPartial = Math.max(t.lastPartial, ts);
                        t.maxAgentWorkerOverhead = Math.max(t.maxAgentWorkerOverhead, latency - llm);
                    }
                }
            }
            case "conclave.results" -> {
                t.resultPublished = ts;
                t.llmMs = event.path("llmMs").asLong();
            }
            default -> {
            }
        }
    }

    private static boolean isSynthesis(JsonNode event) {
        return "synthesis".equals(event.path("kind").asText().toLowerCase(Locale.ROOT));
    }

    private static long epochMs(JsonNode instant) {
        if (instant.isNumber()) {
            return (long) (instant.asDouble() * 1000);
        }
        try {
            return Instant.parse(instant.asText()).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long diff(long from, long to) {
        return from == 0 || to == 0 ? MISSING : to - from;
    }
}
