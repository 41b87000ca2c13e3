package io.conclave.gateway.support;

import io.conclave.gateway.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Builds {@link GatewayConfig} as Quarkus would, from its defaults plus the given overrides. */
public final class TestGatewayConfigs {

    private TestGatewayConfigs() {
    }

    public static GatewayConfig with(Map<String, String> overrides) {
        return new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test", 500))
                .build()
                .getConfigMapping(GatewayConfig.class);
    }
}
