package io.conclave.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running OpenAI-compatible chat-completions simulator on 127.0.0.1, to be started in-process by tests or from
 * {@link LlmSimulatorMain}. Each instance owns its own small Vert.x, so instances never share state.
 *
 * <pre>{@code
 * try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(20).build())) {
 *     String baseUrl = sim.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * }</pre>
 */
public final class LlmSimulator implements AutoCloseable {

    private static final long STARTUP_TIMEOUT_S = 30;

    private final Vertx vertx;
    /** The interface tests and local runs bind to. */
    public static final String LOOPBACK = "127.0.0.1";

    private final int port;

    private LlmSimulator(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    /**
     * Binds and starts serving; returns once the port is open.
     *
     * @throws IllegalStateException if the server cannot start (for example, the port is taken)
     */
    public static LlmSimulator start(SimulatorConfig config) {
        return start(config, LOOPBACK);
    }

    /**
     * Like {@link #start(SimulatorConfig)} on another interface: a container needs {@code 0.0.0.0} so that other
     * pods reach it. Tests keep the loopback default.
     */
    public static LlmSimulator start(SimulatorConfig config, String host) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        SimulatorVerticle verticle = new SimulatorVerticle(config, host);
        try {
            vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture()
                    .get(STARTUP_TIMEOUT_S, TimeUnit.SECONDS);
            return new LlmSimulator(vertx, verticle.port());
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("LLM simulator could not start on port " + config.port() + ": " + cause,
                    cause);
        } catch (InterruptedException e) {
            vertx.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the LLM simulator", e);
        }
    }

    public int port() {
        return port;
    }

    /** The OpenAI base URL, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** Stops serving; open calls are cut off. Waits up to ten seconds. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("LLM simulator did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
