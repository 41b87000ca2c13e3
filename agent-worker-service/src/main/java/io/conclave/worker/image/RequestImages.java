package io.conclave.worker.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ContentPart;
import io.conclave.contracts.RecordPosition;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.worker.agent.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Gives agent sub-tasks the images their {@code image_ref} parts point to, read from the request's own record on
 * {@code conclave.requests}: images travel through Kafka once per request, not once per agent. One long-lived
 * consumer (assign, seek, poll; no group) on one thread of its own reads a record at a time, never on an event
 * loop; the images of the last few requests are kept, so a request's agents on this worker read the record once.
 */
@ApplicationScoped
public class RequestImages {

    private static final Logger LOG = Logger.getLogger(RequestImages.class);
    /** Room for the largest request record (the topic's max.message.bytes). */
    static final int MAX_RECORD_BYTES = 18 * 1024 * 1024;
    private static final Duration POLL = Duration.ofMillis(200);

    private final ObjectMapper mapper;
    private final String bootstrapServers;
    private final Duration fetchTimeout;
    private final int cachedRequests;
    private final Counter fetches;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "conclave-request-images");
        t.setDaemon(true);
        return t;
    });
    /** Correlation ID → its data images in request order; access-ordered, the least recently used goes first. */
    private final Map<String, CompletableFuture<List<String>>> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** Touched only on {@link #thread}. */
    private KafkaConsumer<byte[], byte[]> consumer;

    @Inject
    public RequestImages(ObjectMapper mapper, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, WorkerConfig config) {
        this.mapper = mapper;
        this.bootstrapServers = bootstrapServers;
        this.fetchTimeout = config.images().fetchTimeout();
        this.cachedRequests = config.images().cachedRequests();
        this.fetches = Counter.builder("conclave.images.fetches")
                .description("Request records read for their images").register(registry);
    }

    /** Whether the sub-task's messages point to images of its request. */
    public static boolean refersToImages(SubtaskAssigned task) {
        return task.messages() != null && task.messages().stream()
                .filter(message -> message.parts() != null)
                .flatMap(message -> message.parts().stream())
                .anyMatch(part -> ContentPart.IMAGE_REF.equals(part.type()));
    }

    /**
     * The sub-task's messages with every {@code image_ref} replaced by its {@code data:} image.
     *
     * @return completes on this class' own thread; fails when the record cannot be read or lacks the images
     */
    public CompletionStage<List<ChatMessage>> resolve(SubtaskAssigned task) {
        if (task.imagesAt() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "the sub-task refers to images but not to the record that holds them"));
        }
        return images(task.correlationId(), task.imagesAt()).thenApply(images -> withImages(task.messages(), images));
    }

    private CompletableFuture<List<String>> images(String correlationId, RecordPosition at) {
        CompletableFuture<List<String>> images;
        boolean fetch = false;
        synchronized (cache) {
            images = cache.get(correlationId);
            if (images == null) {
                images = new CompletableFuture<>();
                cache.put(correlationId, images);
                while (cache.size() > cachedRequests) {
                    cache.remove(cache.keySet().iterator().next());
                }
                fetch = true;
            }
        }
        if (fetch) {
            CompletableFuture<List<String>> result = images;
            thread.execute(() -> {
                try {
                    result.complete(read(correlationId, at));
                } catch (Exception | Error e) {
                    synchronized (cache) {
                        cache.remove(correlationId, result);
                    }
                    result.completeExceptionally(e);
                }
            });
        }
        return images;
    }

    private List<String> read(String correlationId, RecordPosition at) throws IOException {
        TopicPartition partition = new TopicPartition(at.topic(), at.partition());
        KafkaConsumer<byte[], byte[]> kafka = consumer();
        kafka.assign(List.of(partition));
        kafka.seek(partition, at.offset());
        long deadline = System.nanoTime() + fetchTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(POLL).records(partition)) {
                if (record.offset() == at.offset()) {
                    fetches.increment();
                    return dataImages(correlationId, at, mapper.readValue(record.value(), RequestSubmitted.class));
                }
                if (record.offset() > at.offset()) {
                    throw new IllegalStateException("the request record at " + at + " is gone (retention?)");
                }
            }
        }
        throw new IllegalStateException("the request record at " + at + " could not be read within " + fetchTimeout);
    }

    private static List<String> dataImages(String correlationId, RecordPosition at, RequestSubmitted request) {
        if (request == null || !correlationId.equals(request.correlationId())) {
            throw new IllegalStateException("the record at " + at + " is not request " + correlationId);
        }
        List<String> images = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            if (message.parts() == null) {
                continue;
            }
            for (ContentPart part : message.parts()) {
                if (ContentPart.IMAGE_URL.equals(part.type()) && part.imageUrl() != null
                        && part.imageUrl().regionMatches(true, 0, "data:", 0, 5)) {
                    images.add(part.imageUrl());
                }
            }
        }
        LOG.debugf("read %d images of request %s from %s", images.size(), correlationId, at);
        return List.copyOf(images);
    }

    private static List<ChatMessage> withImages(List<ChatMessage> messages, List<String> images) {
        List<ChatMessage> resolved = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            if (message.parts() == null) {
                resolved.add(message);
                continue;
            }
            List<ContentPart> parts = new ArrayList<>(message.parts().size());
            for (ContentPart part : message.parts()) {
                if (!ContentPart.IMAGE_REF.equals(part.type())) {
                    parts.add(part);
                    continue;
                }
                if (part.imageRef() == null || part.imageRef() < 0 || part.imageRef() >= images.size()) {
                    throw new IllegalStateException("image " + part.imageRef() + " is not in the request, which has "
                            + images.size());
                }
                parts.add(new ContentPart(ContentPart.IMAGE_URL, null, images.get(part.imageRef()), part.detail(),
                        null));
            }
            resolved.add(new ChatMessage(message.role(), message.content(), List.copyOf(parts)));
        }
        return List.copyOf(resolved);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> config = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.CLIENT_ID_CONFIG, "conclave-worker-request-images",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES,
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_RECORD_BYTES);
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @PreDestroy
    void close() {
        thread.execute(() -> {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(1));
            }
        });
        thread.shutdown();
    }
}
