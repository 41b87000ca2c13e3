package io.conclave.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.deploy.NodeValidator.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator fails on broken manifests: each case copies deploy/ to a temporary directory, breaks one thing and
 * expects a non-zero exit that names the problem. Without this, a validator that passes everything would look the
 * same as valid manifests.
 */
class BrokenManifestsTest {

    /** One edit of one file under deploy/, and the words the validator must answer it with. */
    record Breakage(String name, String overlay, String file, String search, String replacement, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Breakage> breakages() {
        return Stream.of(
                new Breakage("wrong probe path", "production", "base/gateway-service/deployment.yaml",
                        "path: /q/health/ready", "path: /health/ready",
                        "readinessProbe path /health/ready, expected /q/health/ready"),
                new Breakage("unknown env var", "local", "base/agent-worker-service/config.env",
                        "CONCLAVE_WORKER_CONCURRENCY=16", "CONCLAVE_WORKER_CONCURENCY=16",
                        "env CONCLAVE_WORKER_CONCURENCY (ConfigMap agent-worker-service-config"),
                new Breakage("missing Secret", "production", "base/agent-worker-service/deployment.yaml",
                        "name: conclave-llm\n", "name: conclave-llm-key\n",
                        "Secret conclave-llm-key is not in the rendered overlay"),
                new Breakage("KEDA field of the wrong type", "production", "base/agent-worker-service/scaledobject.yaml",
                        "pollingInterval: 10", "pollingInterval: 10s",
                        "ScaledObject/agent-worker-service\n          - schema: /spec/pollingInterval must be integer"),
                new Breakage("more workers than partitions", "production", "overlays/production/scaling.yaml",
                        "maxReplicaCount: 16", "maxReplicaCount: 32",
                        "maxReplicaCount 32 > 16 partitions of conclave.subtasks"),
                new Breakage("lag threshold not K", "production", "base/agent-worker-service/scaledobject.yaml",
                        "lagThreshold: \"16\"", "lagThreshold: \"100\"",
                        "lagThreshold 100 is not the worker concurrency K = 16"),
                new Breakage("Strimzi partitions not an integer", "local", "base/kafka/topics.yaml",
                        "partitions: 16", "partitions: sixteen",
                        "KafkaTopic/conclave.subtasks\n          - strimzi schema: /spec/partitions must be integer"),
                new Breakage("container port not quarkus.http.port", "local", "base/planner-service/deployment.yaml",
                        "containerPort: 8081", "containerPort: 8090",
                        "containerPort 8090 is not quarkus.http.port 8081 of planner-service"),
                new Breakage("dashboard queries an unregistered metric", "local", "dashboards/conclave.json",
                        "conclave_llm_retries_total", "conclave_llm_retry_total",
                        "conclave_llm_retry_total is no series of deploy/README.md's metrics table"),
                new Breakage("dashboard is not JSON", "production", "dashboards/conclave.json",
                        "\"panels\": [", "\"panels\": [[",
                        "conclave.json is not JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void brokenManifestFailsValidation(Breakage breakage, @TempDir Path tmp) throws Exception {
        Path deploy = copyOfDeploy(tmp);
        Path file = deploy.resolve(breakage.file());
        String original = Files.readString(file);
        assertTrue(original.contains(breakage.search()), breakage.file() + " no longer contains " + breakage.search());
        Files.writeString(file, original.replace(breakage.search(), breakage.replacement()));

        Result result = NodeValidator.installed().run(Map.of(), deploy.resolve("overlays").resolve(breakage.overlay()));

        assertEquals(1, result.exit(), () -> "expected a failed validation:\n" + result.output());
        assertTrue(result.output().contains(breakage.expected()),
                () -> "expected \"" + breakage.expected() + "\" in:\n" + result.output());
    }

    @Test
    void missingKubectlIsNamed(@TempDir Path tmp) throws Exception {
        Result result = NodeValidator.installed()
                .run(Map.of("KUBECTL", tmp.resolve("no-kubectl").toString()), NodeValidator.overlays());

        assertEquals(2, result.exit(), result.output());
        assertTrue(result.output().contains("kubectl not found"), result.output());
    }

    private static Path copyOfDeploy(Path tmp) throws IOException {
        Path deploy = tmp.resolve("deploy");
        for (String dir : new String[] {"base", "overlays", "dashboards"}) {
            Path source = NodeValidator.ROOT.resolve("deploy").resolve(dir);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path path : files.toList()) {
                    Path target = deploy.resolve(dir).resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(path, target);
                    }
                }
            }
        }
        return deploy;
    }
}
