package io.conclave.planner.plan;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Builds {@link PlannerConfig} as Quarkus would, from its defaults plus the given overrides. */
public final class TestPlannerConfigs {

    private TestPlannerConfigs() {
    }

    public static PlannerConfig defaults() {
        return with(Map.of());
    }

    public static PlannerConfig with(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PlannerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test", 500))
                .build();
        return config.getConfigMapping(PlannerConfig.class);
    }
}
