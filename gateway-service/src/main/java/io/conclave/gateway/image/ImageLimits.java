package io.conclave.gateway.image;

/**
 * How much image one request may carry: each image's decoded bytes, all images' decoded bytes together, and how
 * many image parts (data and https) it may have. Over any of them the client gets a 413.
 */
public record ImageLimits(long maxBytes, long maxTotalBytes, int maxCount) {
}
