package io.conclave.simulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator as a standalone process for local runs and benchmarks ({@code java -jar llm-simulator.jar}),
 * configured by {@code SIM_*} environment variables ({@code SIM_HOST} picks the interface, default loopback); runs until killed.
 */
public final class LlmSimulatorMain {

    private LlmSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config;
        try {
            config = EnvironmentConfig.ofSystem().read();
        } catch (IllegalArgumentException e) {
            System.err.println("llm-simulator: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        String host = System.getenv().getOrDefault("SIM_HOST", LlmSimulator.LOOPBACK);
        LlmSimulator simulator = LlmSimulator.start(config, host);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "llm-simulator-shutdown"));
        System.out.println("llm-simulator listening on " + simulator.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
