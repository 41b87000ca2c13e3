package io.conclave.worker.agent;

import io.conclave.simulator.LlmSimulator;
import io.conclave.simulator.SimulatorConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the project's LLM simulator in-process and points the {@code default} provider at it. */
public final class LlmSimulatorResource implements QuarkusTestResourceLifecycleManager {

    private LlmSimulator simulator;

    @Override
    public Map<String, String> start() {
        simulator = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(30).tokenMs(1).tokens(48).build());
        return Map.of("conclave.llm.providers.default.base-url", simulator.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator, new TestInjector.MatchesType(LlmSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
