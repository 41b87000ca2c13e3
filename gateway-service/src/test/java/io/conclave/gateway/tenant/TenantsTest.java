package io.conclave.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conclave.gateway.api.ApiException;
import io.conclave.gateway.support.TestGatewayConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys map to tenants by their SHA-256, from a Secret-style directory or from config. */
class TenantsTest {

    @TempDir
    Path keys;

    @Test
    void keysFromTheMountedSecretAndFromConfigMapToTheirTenants() throws Exception {
        Files.writeString(keys.resolve("acme"), Tenants.sha256("sk-acme") + "\n");
        Files.writeString(keys.resolve(".hidden"), Tenants.sha256("sk-hidden"));
        Files.writeString(keys.resolve("broken"), "not a hash");
        Tenants tenants = tenants(Map.of("conclave.gateway.auth.anonymous", "false",
                "conclave.gateway.auth.keys.globex", Tenants.sha256("sk-globex").toUpperCase()));

        assertEquals("acme", tenants.authenticate("Bearer sk-acme"));
        assertEquals("acme", tenants.authenticate("bearer  sk-acme "));
        assertEquals("globex", tenants.authenticate("Bearer sk-globex"));
        assertEquals("invalid_api_key", refused(tenants, "Bearer sk-hidden"));
        assertEquals("invalid_api_key", refused(tenants, "Bearer not a hash"));
        assertEquals("invalid_api_key", refused(tenants, "Basic c2stYWNtZQ=="));
        assertEquals("invalid_api_key", refused(tenants, "Bearer "));
        assertEquals("missing_api_key", refused(tenants, null));
    }

    @Test
    void anonymousModeGivesKeylessCallsTheLocalTenantButStillChecksConfiguredKeys() throws Exception {
        Tenants open = tenants(Map.of("conclave.gateway.auth.anonymous", "true"));
        assertEquals("local", open.authenticate(null));
        assertEquals("local", open.authenticate("Bearer whatever-an-sdk-sends"));

        Files.writeString(keys.resolve("acme"), Tenants.sha256("sk-acme"));
        Tenants mixed = tenants(Map.of("conclave.gateway.auth.anonymous", "true"));
        assertEquals("local", mixed.authenticate(null));
        assertEquals("acme", mixed.authenticate("Bearer sk-acme"));
        assertEquals("invalid_api_key", refused(mixed, "Bearer sk-wrong"));
    }

    private Tenants tenants(Map<String, String> config) {
        Map<String, String> all = new java.util.HashMap<>(config);
        all.put("conclave.gateway.auth.keys-dir", keys.toString());
        return new Tenants(TestGatewayConfigs.with(all));
    }

    private static String refused(Tenants tenants, String authorization) {
        ApiException e = assertThrows(ApiException.class, () -> tenants.authenticate(authorization));
        assertEquals(401, e.error().status());
        return e.error().code();
    }
}
