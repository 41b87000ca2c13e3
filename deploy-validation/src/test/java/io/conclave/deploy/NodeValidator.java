package io.conclave.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The validator of {@code deploy/} (a Node.js script) installed under {@code target/} with {@code npm ci} and run as
 * a child process, so that the build checks the manifests with the same code a developer runs by hand. Missing tools
 * fail the build with what to install: a skipped check would let broken manifests through CI.
 */
final class NodeValidator {

    static final Path ROOT = Path.of(System.getProperty("conclave.root", "..")).toAbsolutePath().normalize();
    static final Path OVERLAYS = ROOT.resolve("deploy/overlays");
    private static final Path SOURCE = ROOT.resolve("deploy/validate");
    private static final Path INSTALL =
            Path.of(System.getProperty("deploy.validate.dir", "target/deploy-validate")).toAbsolutePath();
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "validate.mjs");
    private static final String TOOLS = "deploy-validation needs Node.js 18 or newer with npm (it runs `npm ci` and "
            + "`node deploy/validate/validate.mjs`) and kubectl 1.27 or newer (it renders the overlays with "
            + "`kubectl kustomize`). Install them, e.g. `apt-get install nodejs npm` and kubectl from "
            + "https://kubernetes.io/docs/tasks/tools/";

    private static NodeValidator installed;

    /** The outcome of one run: exit code and the merged stdout and stderr. */
    record Result(int exit, String output) {
    }

    private NodeValidator() {
    }

    /** Checks the tools and installs the validator once per test JVM. */
    static synchronized NodeValidator installed() throws IOException, InterruptedException {
        if (installed == null) {
            requireTools();
            install();
            installed = new NodeValidator();
        }
        return installed;
    }

    /** Runs {@code node validate.mjs --repo <root> <overlays>} with extra environment variables. */
    Result run(Map<String, String> env, Path... overlays) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs", "--repo", ROOT.toString()));
        for (Path overlay : overlays) {
            command.add(overlay.toString());
        }
        return exec(command, INSTALL, env, Duration.ofMinutes(2));
    }

    /** Every overlay directory under deploy/overlays. */
    static Path[] overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            return dirs.filter(Files::isDirectory).sorted().toArray(Path[]::new);
        }
    }

    private static void requireTools() throws IOException, InterruptedException {
        String node = tool("node", "--version").output().trim();
        int major = Integer.parseInt(node.replaceFirst("^v(\\d+).*$", "$1"));
        if (major < 18) {
            fail("node " + node + " is too old. " + TOOLS);
        }
        tool("npm", "--version");
        tool("kubectl", "version", "--client");
    }

    private static Result tool(String... command) throws InterruptedException {
        try {
            Result result = exec(List.of(command), ROOT, Map.of(), Duration.ofMinutes(1));
            if (result.exit() != 0) {
                fail("`" + String.join(" ", command) + "` failed:\n" + result.output() + "\n" + TOOLS);
            }
            return result;
        } catch (IOException e) {
            return fail(command[0] + " not found on the PATH (" + e.getMessage() + "). " + TOOLS);
        }
    }

    /** Copies the validator to target/ and runs {@code npm ci} there, unless the same lock file is installed. */
    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALL.resolve("lib"));
        for (String file : FILES) {
            Files.copy(SOURCE.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> lib = Files.list(SOURCE.resolve("lib"))) {
            for (Path file : lib.toList()) {
                Files.copy(file, INSTALL.resolve("lib").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path stamp = INSTALL.resolve("node_modules/.conclave-lock-sha256");
        String lock = sha256(INSTALL.resolve("package-lock.json"));
        if (Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
            return;
        }
        Result npm = exec(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), INSTALL, Map.of(),
                Duration.ofMinutes(10));
        if (npm.exit() != 0) {
            fail("npm ci in " + INSTALL + " failed:\n" + npm.output());
        }
        Files.writeString(stamp, lock);
    }

    private static Result exec(List<String> command, Path dir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("deploy-validation", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("`" + String.join(" ", command) + "` took longer than " + timeout + ":\n" + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
