package io.conclave.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real Kafka broker in a child JVM, for tests and benchmarks. The child has its own classpath, so the
 * caller's kafka-clients version and logging never meet the broker's; this class uses only the JDK
 * because consumers put this jar on their classpath without any of its dependencies.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Marker file in the data dir; {@code BrokerMain} writes the bootstrap address into it once the topics exist. */
    public static final String READY_FILE = "ready";
    /** The child's stdout and stderr, in the data dir. */
    public static final String LOG_FILE = "broker.log";
    /** By name, so that this JVM never loads a class that refers to Kafka. */
    static final String MAIN_CLASS = "io.conclave.kafka.BrokerMain";
    /** Resource written at build time: the broker's runtime jars, separated by {@link File#pathSeparator}. */
    static final String CLASSPATH_RESOURCE = "io/conclave/kafka/broker.classpath";
    /** System property that replaces {@link #DEFAULT_JVM_OPTIONS} (space-separated), e.g. for benchmarks. */
    public static final String JVM_OPTIONS_PROPERTY = "conclave.kafka.jvm.options";
    /** Light settings; C1 only starts about 40 % faster on a busy machine, at some cost in peak throughput. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");
    /**
     * The same with the full JIT, as a production broker runs: slower to start, but the benchmark's broker used a
     * third less CPU per request with it than C1-only under sustained load (docs/benchmarks.md), so benchmarks use it;
     * and with the parallel collector, whose young pauses were half as long as the serial one's and lay on the
     * slowest requests' paths far less often (docs/benchmarks.md, rounds eighteen and nineteen).
     */
    public static final List<String> THROUGHPUT_JVM_OPTIONS = DEFAULT_JVM_OPTIONS.stream()
            .filter(option -> !option.startsWith("-XX:TieredStopAtLevel"))
            .map(option -> option.equals("-XX:+UseSerialGC") ? "-XX:+UseParallelGC" : option).toList();
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final String bootstrapServers;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaBroker(final Process process, final Path dataDir, final boolean deleteDataDir,
            final String bootstrapServers, final Thread shutdownHook) {
        this.process = process;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.bootstrapServers = bootstrapServers;
        this.shutdownHook = shutdownHook;
    }

    /** Starts a broker in a fresh temporary data dir that {@link #close()} deletes. */
    public static KafkaBroker start() {
        try {
            return start(Files.createTempDirectory("conclave-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data dir", e);
        }
    }

    /** Starts a broker on {@code dataDir}, which is kept on close: a later start there keeps topics and records. */
    public static KafkaBroker start(final Path dataDir) {
        return start(dataDir, false);
    }

    private static KafkaBroker start(final Path dataDir, final boolean deleteDataDir) {
        final Path dir = dataDir.toAbsolutePath().normalize();
        final int[] ports = LoopbackPorts.pickFree(2);
        final Process process = launch(dir, ports[0], ports[1]);
        final Thread hook = new Thread(() -> stop(process, dir, deleteDataDir), "conclave-kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            final String bootstrap = awaitReady(process, dir, ports[0]);
            return new KafkaBroker(process, dir, deleteDataDir, bootstrap, hook);
        } catch (RuntimeException e) {
            removeHook(hook);
            stop(process, dir, deleteDataDir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The child's stdout and stderr: WARN and above, plus start and stop. */
    public Path logFile() {
        return dataDir.resolve(LOG_FILE);
    }

    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the broker (SIGTERM, forcibly after 10 s) and deletes the data dir if {@link #start()} created it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            removeHook(shutdownHook);
            stop(process, dataDir, deleteDataDir);
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + ", pid " + process.pid() + ", " + dataDir + "]";
    }

    private static Process launch(final Path dataDir, final int port, final int controllerPort) {
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(dataDir.resolve(READY_FILE));
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions());
            command.addAll(List.of("-cp", childClasspath(), MAIN_CLASS,
                    "--port", Integer.toString(port),
                    "--controller-port", Integer.toString(controllerPort),
                    "--data-dir", dataDir.toString(),
                    "--parent-pid", Long.toString(ProcessHandle.current().pid())));
            return new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve(LOG_FILE).toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch the Kafka broker JVM in " + dataDir, e);
        }
    }

    static List<String> jvmOptions() {
        final String override = System.getProperty(JVM_OPTIONS_PROPERTY, "").strip();
        return override.isEmpty() ? DEFAULT_JVM_OPTIONS : List.of(override.split("\\s+"));
    }

    /** This jar (or classes dir) followed by the broker's runtime jars recorded at build time. */
    static String childClasspath() {
        final List<String> entries = new ArrayList<>();
        entries.add(ownLocation().toString());
        for (final String entry : readClasspathResource().strip().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                if (!Files.exists(Path.of(entry))) {
                    throw new IllegalStateException("Broker classpath entry " + entry
                            + " is missing; rebuild with ./mvnw -pl kafka-runtime install");
                }
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String readClasspathResource() {
        try (InputStream in = KafkaBroker.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " not on the classpath; build kafka-runtime with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + CLASSPATH_RESOURCE, e);
        }
    }

    /** Where this class was loaded from; falls back to its resource URL when a class loader hides the CodeSource. */
    private static Path ownLocation() {
        try {
            final CodeSource source = KafkaBroker.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
                return Path.of(source.getLocation().toURI());
            }
            final URL url = Objects.requireNonNull(KafkaBroker.class.getResource(KafkaBroker.class.getSimpleName() + ".class"));
            final String text = url.toString();
            if (text.startsWith("jar:file:")) {
                return Path.of(URI.create(text.substring("jar:".length(), text.indexOf("!/"))));
            }
            final Path classFile = Path.of(url.toURI());
            return classFile.getParent().getParent().getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("Cannot locate the kafka-runtime jar", e);
        }
    }

    private static String awaitReady(final Process process, final Path dataDir, final int port) {
        final Path ready = dataDir.resolve(READY_FILE);
        final long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw failure("Kafka broker exited with status " + process.exitValue() + " during startup", dataDir);
                }
                if (Files.exists(ready) && LoopbackPorts.accepts(port)) {
                    return Files.readString(ready, StandardCharsets.UTF_8).strip();
                }
                if (System.nanoTime() > deadline) {
                    throw failure("Kafka broker not ready within " + STARTUP_TIMEOUT.toSeconds() + " s", dataDir);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Interrupted while waiting for the Kafka broker", dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ready, e);
        }
    }

    private static IllegalStateException failure(final String message, final Path dataDir) {
        return new IllegalStateException(message + "; last lines of " + dataDir.resolve(LOG_FILE) + ":\n"
                + logTail(dataDir.resolve(LOG_FILE)));
    }

    private static String logTail(final Path log) {
        try {
            final List<String> lines = Arrays.asList(
                    new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void stop(final Process process, final Path dataDir, final boolean deleteDataDir) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (deleteDataDir && !process.isAlive()) {
            deleteRecursively(dataDir);
        }
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to run; it stops the same process.
        }
    }

    private static void deleteRecursively(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp dir is not worth failing a test for.
        }
    }
}
