package io.conclave.worker.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * One provider's resolved settings: the base URL split into what the HTTP client needs, so a bad URL fails at
 * startup and the call path never parses it again.
 *
 * @param apiKey the bearer token, or null when the provider needs none
 * @param alwaysStream stream even the calls nobody watches (see {@link LlmConfig.Provider#alwaysStream()})
 */
public record ProviderSettings(
        String name,
        String host,
        int port,
        boolean ssl,
        String completionsPath,
        String apiKey,
        String defaultModel,
        int maxConnections,
        Duration timeout,
        Duration connectTimeout,
        boolean alwaysStream) {

    public ProviderSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("provider " + name + ": max-connections must be at least 1");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("provider " + name + ": timeout must be positive");
        }
    }

    /**
     * @param baseUrl an http or https URL such as {@code http://127.0.0.1:8090/v1}
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL
     */
    public static ProviderSettings of(String name, String baseUrl, String apiKey, String defaultModel,
            int maxConnections, Duration timeout, Duration connectTimeout) {
        return of(name, baseUrl, apiKey, defaultModel, maxConnections, timeout, connectTimeout, false);
    }

    /** @throws IllegalArgumentException if the URL is not an absolute http(s) URL */
    public static ProviderSettings of(String name, String baseUrl, String apiKey, String defaultModel,
            int maxConnections, Duration timeout, Duration connectTimeout, boolean alwaysStream) {
        URI uri = parse(name, baseUrl);
        boolean ssl = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String key = apiKey == null || apiKey.isBlank() ? null : apiKey;
        return new ProviderSettings(name, uri.getHost(), port, ssl, path + "/chat/completions", key, defaultModel,
                maxConnections, timeout, connectTimeout, alwaysStream);
    }

    static ProviderSettings of(String name, LlmConfig.Provider config) {
        return of(name, config.baseUrl(), config.apiKey().orElse(null), config.model(), config.maxConnections(),
                config.timeout(), config.connectTimeout(), config.alwaysStream());
    }

    private static URI parse(String name, String baseUrl) {
        URI uri;
        try {
            uri = URI.create(baseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider " + name + ": base-url '" + baseUrl + "' is not a URL", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "provider " + name + ": base-url '" + baseUrl + "' must be an absolute http(s) URL");
        }
        return uri;
    }
}
