package io.conclave.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Entry point of the broker's own JVM: formats the storage once, runs {@code kafka.Kafka} in-process,
 * creates the Conclave topics and then writes {@code <data-dir>/ready} with the bootstrap address.
 * It runs until killed; Kafka's own shutdown hook stops the broker cleanly on SIGTERM.
 */
public final class BrokerMain {

    static final String LOG_CONFIG = "io/conclave/kafka/broker-log4j2.xml";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final BrokerArgs args;
    private final Logger log;

    private BrokerMain(final BrokerArgs args, final Logger log) {
        this.args = args;
        this.log = log;
    }

    public static void main(final String[] argv) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        final BrokerArgs args;
        try {
            args = BrokerArgs.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BrokerArgs.USAGE);
            System.exit(2);
            return;
        }
        final Logger log = LoggerFactory.getLogger(BrokerMain.class);
        try {
            new BrokerMain(args, log).run();
        } catch (Exception e) {
            // The broker runs on non-daemon threads: without an explicit exit the JVM would linger.
            log.error("Kafka broker failed to start", e);
            System.exit(1);
        }
    }

    private void run() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        final long startNanos = System.nanoTime();
        final Path dataDir = Files.createDirectories(args.dataDir());
        final Path readyFile = dataDir.resolve(KafkaBroker.READY_FILE);
        Files.deleteIfExists(readyFile);

        final int[] free = LoopbackPorts.pickFree(2);
        final int port = args.port() != 0 ? args.port() : free[0];
        final int controllerPort = args.controllerPort() != 0 ? args.controllerPort()
                : free[1] != port ? free[1] : free[0];
        final Path logDir = dataDir.resolve("logs");
        final Path serverProperties = dataDir.resolve("server.properties");
        ServerConfig.write(serverProperties, ServerConfig.properties(port, controllerPort, logDir,
                System.getProperties()));

        formatUnlessFormatted(serverProperties, logDir);
        exitWithParent();
        startKafka(serverProperties);
        final String bootstrap = LoopbackPorts.HOST + ":" + port;
        awaitPort(port);
        createTopics(bootstrap, TopicSpec.load(args.topics()));
        writeReady(readyFile, bootstrap);
        log.info("Kafka {} ready at {} in {} ms (data dir {})", AppInfoParser.getVersion(), bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir);
    }

    /** Formats a fresh log dir; a restart keeps the existing cluster ID and data. */
    private void formatUnlessFormatted(final Path serverProperties, final Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            log.info("Storage in {} already formatted; keeping its data", logDir);
            return;
        }
        final String clusterId = Uuid.randomUuid().toString();
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final int status = StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", serverProperties.toString()}, out);
        if (status != 0) {
            throw new IllegalStateException("kafka-storage format exited with " + status);
        }
        log.info("Formatted storage in {} with cluster ID {}", logDir, clusterId);
    }

    private void exitWithParent() {
        if (args.parentPid() < 0) {
            return;
        }
        ProcessHandle.of(args.parentPid()).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    log.warn("Parent process {} ended; stopping the broker", args.parentPid());
                    System.exit(0);
                }),
                () -> {
                    throw new IllegalStateException("Parent process " + args.parentPid() + " is not running");
                });
    }

    /** Runs {@code kafka.Kafka} on a non-daemon thread; it exits the JVM itself if startup fails. */
    private static void startKafka(final Path serverProperties) {
        final Thread main = new Thread(() -> Kafka.main(new String[] {serverProperties.toString()}), "kafka-main");
        main.setDaemon(false);
        main.start();
    }

    private static void awaitPort(final int port) throws InterruptedException, TimeoutException {
        final long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!LoopbackPorts.accepts(port)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Broker did not accept connections on port " + port + " within " + STARTUP_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /** Creates the topics; ones that already exist (after a restart) are left as they are. */
    private void createTopics(final String bootstrap, final List<TopicSpec> topics)
            throws InterruptedException, ExecutionException {
        final Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) STARTUP_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            final List<NewTopic> newTopics = topics.stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
                    .toList();
            int created = 0;
            for (final var entry : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    entry.getValue().get();
                    created++;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            log.info("Created {} of {} topics ({} existed already)", created, topics.size(), topics.size() - created);
        }
    }

    /** Writes the marker atomically so that a launcher never reads half an address. */
    private static void writeReady(final Path readyFile, final String bootstrap) throws IOException {
        final Path tmp = readyFile.resolveSibling(KafkaBroker.READY_FILE + ".tmp");
        Files.writeString(tmp, bootstrap + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(readyFile), "conclave-ready-marker"));
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stale marker is harmless: the launcher deletes it before every start.
        }
    }
}
