package io.conclave.e2e;

import io.conclave.kafka.KafkaBroker;
import io.conclave.kafka.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole mesh as real processes: a KRaft broker, the LLM simulator and the four packaged services,
 * on free loopback ports. Started once per test run and shared by the end-to-end tests.
 */
public final class Mesh implements AutoCloseable {

    /** The four services, in start order. */
    public static final List<String> SERVICES =
            List.of("gateway-service", "planner-service", "agent-worker-service", "aggregator-service");
    static final String WORKER = "agent-worker-service";
    /**
     * The worker's young generation, after the services' options: 64 MB from the start (survivor spaces of a sixth
     * each) in a 96 MB heap. The sub-tasks in flight at 100 rps outgrew the survivor spaces of the default third of a
     * 32 MB heap at every young collection and filled the old generation, so the worker made 10–27 full collections
     * in a minute (docs/benchmarks.md, round ten); with 32–64 MB it made three young collections a second there, and
     * on two shared cores each one could stop it for tens of milliseconds: 4.8–7.1 s of pauses in 90 s. Twice the
     * eden halves them (round thirteen).
     */
    public static final List<String> WORKER_JVM_OPTIONS = List.of("-Xms96m", "-XX:NewSize=64m",
            "-XX:MaxNewSize=64m", "-XX:SurvivorRatio=4");
    /**
     * The services' JIT, as deploy/ sets it ({@code JDK_JAVA_OPTIONS} in each service's config.env): code that runs
     * once a request reaches C2 after about 5,000 calls, four minutes at 20 rps, so the benchmark's rows at that rate
     * measured the services while C2 was still compiling their request path (1.0–2.4 s of compiler CPU per service
     * in a two-minute row). A fifth of the thresholds gets most of it there within the warm-up (docs/benchmarks.md,
     * round nineteen).
     */
    public static final String JIT_OPTIONS = "-XX:CompileThresholdScaling=0.2";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path root;
    private final Path workDir;
    private final KafkaBroker broker;
    private final ManagedProcess simulator;
    private final Map<String, ManagedProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final int simulatorPort;
    private final Map<String, ManagedProcess> providerSimulators = new LinkedHashMap<>();
    private final Map<String, Integer> providerPorts = new HashMap<>();
    private final Options options;

    /**
     * How a mesh is shaped: extra worker processes ({@code agent-worker-service-2}, …), the simulator's
     * {@code SIM_*} environment, extra environment per service (applied to every worker process for
     * {@value #WORKER}), and extra named LLM providers for the workers: each name maps to a base URL, or to
     * {@link #SIMULATED} for a simulator process of its own.
     */
    public record Options(int workers, Map<String, String> simulatorEnv, Map<String, Map<String, String>> serviceEnv,
            List<String> jvmOptions, Map<String, List<String>> serviceJvmOptions, Map<String, String> providers) {

        /** The base URL of a provider that the mesh serves with a simulator process of its own. */
        public static final String SIMULATED = "simulated";

        /**
         * A small initial heap: without it the JVM starts with 1/64 of this machine's memory (capped at -Xmx), so
         * every service's young generation alone touches ~70 MB, where a container's memory limit would make it
         * start at a few MB (docs/benchmarks.md, "Memory").
         */
        public static Options defaults() {
            return new Options(1, Map.of(), Map.of(), List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC"), Map.of(),
                    Map.of());
        }

        public Options withWorkers(int count) {
            return new Options(count, simulatorEnv, serviceEnv, jvmOptions, serviceJvmOptions, providers);
        }

        public Options withSimulatorEnv(Map<String, String> env) {
            return new Options(workers, env, serviceEnv, jvmOptions, serviceJvmOptions, providers);
        }

        /** Adds these environment variables to the service's, replacing any of the same name. */
        public Options withServiceEnv(String service, Map<String, String> env) {
            Map<String, String> merged = new HashMap<>(serviceEnv.getOrDefault(service, Map.of()));
            merged.putAll(env);
            Map<String, Map<String, String>> all = new HashMap<>(serviceEnv);
            all.put(service, Map.copyOf(merged));
            return new Options(workers, simulatorEnv, Map.copyOf(all), jvmOptions, serviceJvmOptions, providers);
        }

        public Options withJvmOptions(List<String> options) {
            return new Options(workers, simulatorEnv, serviceEnv, options, serviceJvmOptions, providers);
        }

        /** JVM options for one service (every worker process for {@value #WORKER}), after all the others. */
        public Options withServiceJvmOptions(String service, List<String> options) {
            Map<String, List<String>> all = new HashMap<>(serviceJvmOptions);
            all.put(service, List.copyOf(options));
            return new Options(workers, simulatorEnv, serviceEnv, jvmOptions, Map.copyOf(all), providers);
        }

        /** A named provider ({@code conclave.llm.providers.<name>}) whose model defaults to {@code <name>-model}. */
        public Options withProvider(String name, String baseUrl) {
            Map<String, String> all = new LinkedHashMap<>(providers);
            all.put(name, baseUrl);
            return new Options(workers, simulatorEnv, serviceEnv, jvmOptions, serviceJvmOptions, Map.copyOf(all));
        }
    }

    private Mesh(Path root, Options options) throws Exception {
        this.options = options;
        this.root = root;
        // One directory per mesh (logs, aggregator state), so meshes of concurrent runs never share state.
        this.workDir = Files.createTempDirectory(Files.createDirectories(root.resolve("e2e-tests/target")), "mesh-");
        long brokerStart = System.currentTimeMillis();
        this.broker = KafkaBroker.start();
        System.out.printf("mesh: broker ready in %d ms at %s%n", System.currentTimeMillis() - brokerStart,
                broker.bootstrapServers());
        this.simulatorPort = LoopbackPorts.pickFree();
        Map<String, String> simulatorEnv = new HashMap<>(options.simulatorEnv());
        simulatorEnv.put("SIM_PORT", String.valueOf(simulatorPort));
        this.simulator = new ManagedProcess("llm-simulator",
                List.of(java(), "-Xmx128m", "-jar", jar("llm-simulator/target/llm-simulator.jar")),
                simulatorEnv, workDir,
                "http://127.0.0.1:" + simulatorPort + "/v1/models").start();
        for (Map.Entry<String, String> provider : options.providers().entrySet()) {
            if (provider.getValue().equals(Options.SIMULATED)) {
                int port = LoopbackPorts.pickFree();
                providerPorts.put(provider.getKey(), port);
                providerSimulators.put(provider.getKey(), new ManagedProcess("llm-simulator-" + provider.getKey(),
                        List.of(java(), "-Xmx128m", "-jar", jar("llm-simulator/target/llm-simulator.jar")),
                        Map.of("SIM_PORT", String.valueOf(port)), workDir,
                        "http://127.0.0.1:" + port + "/v1/models").start());
            }
        }
        for (String service : processNames(options)) {
            ports.put(service, LoopbackPorts.pickFree());
            services.put(service, newService(service).start());
        }
        try {
            simulator.awaitReady(READY_TIMEOUT);
            for (ManagedProcess providerSimulator : providerSimulators.values()) {
                providerSimulator.awaitReady(READY_TIMEOUT);
            }
            for (ManagedProcess service : services.values()) {
                service.awaitReady(READY_TIMEOUT);
                System.out.printf("mesh: %s ready in %d ms%n", service.name(), service.startupMillis());
            }
        } catch (Exception | Error notReady) {
            // Nobody gets this mesh to close: stop what was started rather than leave it running.
            close();
            throw notReady;
        }
    }

    static Mesh start() throws Exception {
        return start(Options.defaults());
    }

    public static Mesh start(Options options) throws Exception {
        return start(Path.of(System.getProperty("conclave.root", "..")), options);
    }

    /** A mesh of the packaged services under {@code root} (a copy of the project's build, for instance). */
    public static Mesh start(Path root, Options options) throws Exception {
        return new Mesh(root.toAbsolutePath().normalize(), options);
    }

    /** The service processes: the four services, with worker processes beyond the first named {@code -2}, {@code -3}. */
    private static List<String> processNames(Options options) {
        List<String> names = new ArrayList<>(SERVICES);
        for (int i = 2; i <= options.workers(); i++) {
            names.add(WORKER + "-" + i);
        }
        return names;
    }

    /** Every running service process, workers included. */
    public List<ManagedProcess> processes() {
        return List.copyOf(services.values());
    }

    public String gatewayUrl() {
        return url("gateway-service");
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public String simulatorUrl() {
        return "http://127.0.0.1:" + simulatorPort;
    }

    /** The control URL of the simulator serving the named provider ({@link Options#withProvider}). */
    public String simulatorUrl(String provider) {
        Integer port = providerPorts.get(provider);
        if (port == null) {
            throw new IllegalArgumentException("no simulated provider " + provider + " in " + providerPorts.keySet());
        }
        return "http://127.0.0.1:" + port;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    ManagedProcess service(String name) {
        return services.get(name);
    }

    /** The LLM simulator's process, for its CPU time and memory. */
    public ManagedProcess simulator() {
        return simulator;
    }

    /** The broker's OS process ID, for its CPU time and memory. */
    public long brokerPid() {
        return broker.pid();
    }

    /** Stops a service with SIGTERM, so it leaves its consumer group at once; {@link #restart} starts it again. */
    public void stop(String name) throws InterruptedException {
        services.get(name).close();
    }

    /** Starts a stopped service again with the same settings and waits until it is ready. */
    public ManagedProcess restart(String name) throws Exception {
        ManagedProcess restarted = newService(name).start();
        services.put(name, restarted);
        restarted.awaitReady(READY_TIMEOUT);
        return restarted;
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
        String module = name.startsWith(WORKER) ? WORKER : name;
        int port = ports.get(name);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("CONCLAVE_LLM_BASE_URL", simulatorUrl() + "/v1");
        env.put("CONCLAVE_AGGREGATOR_STATE_DIR", workDir.resolve("aggregator-state").toString());
        env.put("CONCLAVE_AGGREGATOR_INSTANCE_ID", "aggregator-e2e");
        // The gateway refuses calls without an API key unless told it runs on a developer's machine.
        env.put("CONCLAVE_GATEWAY_AUTH_ANONYMOUS", "true");
        // As deploy/ runs them (each service's config.env).
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("JDK_JAVA_OPTIONS", JIT_OPTIONS);
        if (module.equals(WORKER)) {
            // As an operator would configure them (README, Configuration).
            options.providers().forEach((provider, baseUrl) -> {
                String prefix = "CONCLAVE_LLM_PROVIDERS_" + provider.toUpperCase(Locale.ROOT);
                env.put(prefix + "_BASE_URL", baseUrl.equals(Options.SIMULATED)
                        ? "http://127.0.0.1:" + providerPorts.get(provider) + "/v1" : baseUrl);
                env.put(prefix + "_MODEL", provider + "-model");
            });
        }
        env.putAll(options.serviceEnv().getOrDefault(module, Map.of()));
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(options.jvmOptions());
        if (module.equals(WORKER)) {
            command.addAll(WORKER_JVM_OPTIONS);
        }
        command.addAll(options.serviceJvmOptions().getOrDefault(module, List.of()));
        command.addAll(List.of("-jar", jar(module + "/target/quarkus-app/quarkus-run.jar")));
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

    @Override
    public void close() throws Exception {
        for (ManagedProcess service : services.values()) {
            service.close();
        }
        simulator.close();
        for (ManagedProcess providerSimulator : providerSimulators.values()) {
            providerSimulator.close();
        }
        broker.close();
    }
}
