package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    private static ProviderSettings of(String url, String key) {
        return ProviderSettings.of("default", url, key, "sim-model", 8, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Test
    void splitsTheBaseUrl() {
        ProviderSettings local = of("http://127.0.0.1:8090/v1", "");
        assertEquals("127.0.0.1", local.host());
        assertEquals(8090, local.port());
        assertEquals("/v1/chat/completions", local.completionsPath());
        assertNull(local.apiKey(), "a blank key means none");

        ProviderSettings remote = of("https://api.example.com/openai/v1/", "sk-1");
        assertTrue(remote.ssl());
        assertEquals(443, remote.port());
        assertEquals("/openai/v1/chat/completions", remote.completionsPath());
        assertEquals("sk-1", remote.apiKey());
    }

    @Test
    void rejectsWhatIsNotAnHttpUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("localhost:8090", null));
        assertTrue(e.getMessage().contains("provider default"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("ftp://host/v1", null));
        assertThrows(IllegalArgumentException.class, () -> of("http://exa mple/", null));
    }
}
