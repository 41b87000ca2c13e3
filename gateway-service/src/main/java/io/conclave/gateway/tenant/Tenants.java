package io.conclave.gateway.tenant;

import io.conclave.gateway.GatewayConfig;
import io.conclave.gateway.api.ApiError;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Maps {@code Authorization: Bearer <key>} to a tenant by the key's SHA-256, so that only hashes are
 * configured (a Kubernetes Secret mounted as one file per tenant, or config) and no key is kept in clear.
 */
@Singleton
public final class Tenants {

    private static final Logger LOG = Logger.getLogger(Tenants.class);
    private static final String BEARER = "bearer ";

    /** Key hash (lower-case hex) → tenant. */
    private final Map<String, String> tenantsByHash;
    private final boolean anonymous;
    private final String anonymousTenant;

    @Inject
    public Tenants(GatewayConfig config) {
        Map<String, String> hashes = new HashMap<>(readDirectory(Path.of(config.auth().keysDir())));
        config.auth().keys().forEach((tenant, hash) -> hashes.put(normalise(hash), tenant));
        this.tenantsByHash = Map.copyOf(hashes);
        this.anonymous = config.auth().anonymous();
        this.anonymousTenant = config.tenant();
        LOG.infof("%d tenant key(s) configured; anonymous use %s", tenantsByHash.size(),
                anonymous ? "allowed as tenant '" + anonymousTenant + "'" : "refused");
    }

    /**
     * The tenant of a call from its {@code Authorization} header.
     *
     * @throws io.conclave.gateway.api.ApiException a 401 when the key is missing (and anonymous use is off),
     *     malformed or unknown
     */
    public String authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            if (anonymous) {
                return anonymousTenant;
            }
            throw unauthorized("missing_api_key", "no API key: send 'Authorization: Bearer <your key>'");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("invalid_api_key", "the Authorization header must be 'Bearer <your key>'");
        }
        String key = authorization.substring(BEARER.length()).strip();
        String tenant = key.isEmpty() ? null : tenantsByHash.get(sha256(key));
        if (tenant == null) {
            if (anonymous && tenantsByHash.isEmpty()) {
                // Local mode without keys: OpenAI SDKs insist on sending some key; any key is anonymous here.
                return anonymousTenant;
            }
            throw unauthorized("invalid_api_key", "the API key is not valid");
        }
        return tenant;
    }

    static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static io.conclave.gateway.api.ApiException unauthorized(String code, String message) {
        return new ApiError(401, ApiError.INVALID_REQUEST, code, message, null).exception();
    }

    private static String normalise(String hash) {
        return hash.strip().toLowerCase(Locale.ROOT);
    }

    /** One file per tenant (a Secret's keys); Kubernetes' own {@code ..data} links and dot files are skipped. */
    private static Map<String, String> readDirectory(Path dir) {
        Map<String, String> hashes = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return hashes;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String tenant = file.getFileName().toString();
                if (tenant.startsWith(".") || !Files.isRegularFile(file)) {
                    continue;
                }
                String hash = normalise(Files.readString(file));
                if (!hash.matches("[0-9a-f]{64}")) {
                    LOG.warnf("ignored %s: not a hex SHA-256", file);
                    continue;
                }
                hashes.put(hash, tenant);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tenant keys from " + dir, e);
        }
        return hashes;
    }
}
