package io.conclave.gateway.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body announced larger than {@code quarkus.http.limits.max-body-size} with a 413 and an
 * OpenAI-style error before anything reads it; Quarkus itself would answer with an empty 413.
 */
@Singleton
public final class OversizedBodyFilter {

    /** Runs before the other filters, which have nothing to do for a body that is refused anyway. */
    private static final int PRIORITY = 1_000;

    void register(@Observes Filters filters,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long limit = maxBodySize.asLongValue();
        String body = ErrorMappers.errorFor(413, null).body().toString();
        filters.register(context -> {
            if (announcedLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > limit) {
                context.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
            } else {
                context.next();
            }
        }, PRIORITY);
    }

    private static long announcedLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
