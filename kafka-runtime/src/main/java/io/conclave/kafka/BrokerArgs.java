package io.conclave.kafka;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Command line of {@link BrokerMain}. Port 0 means "pick a free one"; a parent PID makes the broker
 * exit when the launching JVM dies without running its shutdown hooks.
 */
record BrokerArgs(int port, int controllerPort, Path dataDir, String topics, long parentPid) {

    static final String USAGE = """
            Usage: BrokerMain --data-dir <dir> [--port <p>] [--controller-port <p>] \
            [--topics <file or resource>] [--parent-pid <pid>]
              --port             client (PLAINTEXT) port on 127.0.0.1, 0 = free port (default 0)
              --controller-port  KRaft controller port on 127.0.0.1, 0 = free port (default 0)
              --data-dir         server.properties, log dirs and the 'ready' marker (kept across restarts)
              --topics           '<name> <partitions>' lines (default %s)
              --parent-pid       exit when this process ends (default: run until killed)
            """.formatted(TopicSpec.DEFAULT_RESOURCE);

    BrokerArgs {
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        Objects.requireNonNull(topics, "topics");
        checkPort("--port", port);
        checkPort("--controller-port", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("--port and --controller-port must differ");
        }
    }

    static BrokerArgs parse(final String... args) {
        int port = 0;
        int controllerPort = 0;
        Path dataDir = null;
        String topics = TopicSpec.DEFAULT_RESOURCE;
        long parentPid = -1;
        for (int i = 0; i < args.length; i += 2) {
            final String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + name);
            }
            final String value = args[i + 1];
            switch (name) {
                case "--port" -> port = Integer.parseInt(value);
                case "--controller-port" -> controllerPort = Integer.parseInt(value);
                case "--data-dir" -> dataDir = Path.of(value).toAbsolutePath().normalize();
                case "--topics" -> topics = value;
                case "--parent-pid" -> parentPid = Long.parseLong(value);
                default -> throw new IllegalArgumentException("Unknown option " + name);
            }
        }
        return new BrokerArgs(port, controllerPort, dataDir, topics, parentPid);
    }

    private static void checkPort(final String option, final int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " out of range: " + port);
        }
    }
}
