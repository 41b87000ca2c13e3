package io.conclave.e2e;

import io.conclave.kafka.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole mesh as real processes: a KRaft broker, the LLM simulator and the four packaged services,
 * on free loopback ports. Started once per test run and shared by the end-to-end tests.
 */
final class Mesh implements AutoCloseable {

    static final List<String> SERVICES =
            List.of("gateway-service", "planner-service", "agent-worker-service", "aggregator-service");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path root;
    private final Path workDir;
    private final KafkaBroker broker;
    private final ManagedProcess simulator;
    private final Map<String, ManagedProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final int simulatorPort;

    private Mesh(Path root) throws Exception {
        this.root = root;
        // One directory per mesh (logs, aggregator state), so meshes of concurrent runs never share state.
        this.workDir = Files.createTempDirectory(Files.createDirectories(root.resolve("e2e-tests/target")), "mesh-");
        long brokerStart = System.currentTimeMillis();
        this.broker = KafkaBroker.start();
        System.out.printf("mesh: broker ready in %d ms at %s%n", System.currentTimeMillis() - brokerStart,
                broker.bootstrapServers());
        this.simulatorPort = freePort();
        this.simulator = new ManagedProcess("llm-simulator",
                List.of(java(), "-Xmx128m", "-jar", jar("llm-simulator/target/llm-simulator.jar")),
                Map.of("SIM_PORT", String.valueOf(simulatorPort)), workDir,
                "http://127.0.0.1:" + simulatorPort + "/v1/models").start();
        for (String service : SERVICES) {
            ports.put(service, freePort());
            services.put(service, newService(service).start());
        }
        simulator.awaitReady(READY_TIMEOUT);
        for (ManagedProcess service : services.values()) {
            service.awaitReady(READY_TIMEOUT);
            System.out.printf("mesh: %s ready in %d ms%n", service.name(), service.startupMillis());
        }
    }

    static Mesh start() throws Exception {
        return new Mesh(Path.of(System.getProperty("conclave.root", "..")).toAbsolutePath().normalize());
    }

    String gatewayUrl() {
        return url("gateway-service");
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String simulatorUrl() {
        return "http://127.0.0.1:" + simulatorPort;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    ManagedProcess service(String name) {
        return services.get(name);
    }

    /** Kills a service with SIGKILL and starts it again with the same settings (and state directory). */
    ManagedProcess killAndRestart(String name) throws Exception {
        services.get(name).kill();
        ManagedProcess restarted = newService(name).start();
        services.put(name, restarted);
        restarted.awaitReady(READY_TIMEOUT);
        return restarted;
    }

    private ManagedProcess newService(String name) {
        int port = ports.get(name);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("CONCLAVE_LLM_BASE_URL", simulatorUrl() + "/v1");
        env.put("CONCLAVE_AGGREGATOR_STATE_DIR", workDir.resolve("aggregator-state").toString());
        env.put("CONCLAVE_AGGREGATOR_INSTANCE_ID", "aggregator-e2e");
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                jar(name + "/target/quarkus-app/quarkus-run.jar")));
        return new ManagedProcess(name, command, env, workDir, url(name) + "/q/health/ready");
    }

    private String jar(String relative) {
        Path jar = root.resolve(relative);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the project first (./mvnw package)");
        }
        return jar.toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (ManagedProcess service : services.values()) {
            service.close();
        }
        simulator.close();
        broker.close();
    }
}
