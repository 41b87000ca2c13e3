package io.conclave.gateway.support;

import io.conclave.gateway.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Builds {@link GatewayConfig} as Quarkus would, from its defaults plus the given overrides. */
public final class TestGatewayConfigs {

    private TestGatewayConfigs() {
    }

    /** Anonymous use is on unless the overrides say otherwise, as in the %test profile. */
    public static GatewayConfig with(Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>();
        properties.put("conclave.gateway.auth.anonymous", "true");
        properties.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(GatewayConfig.class);
    }
}
