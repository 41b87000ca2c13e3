package io.conclave.simulator;

import java.util.List;

/**
 * The body of {@code GET /sim/stats}.
 *
 * @param calls           chat-completion requests received, including rejected ones
 * @param completed       calls answered in full
 * @param cancelled       calls whose client went away first
 * @param errors429       simulated rate limits
 * @param errors500       simulated server errors
 * @param inFlight        calls holding a concurrency slot now
 * @param queued          calls waiting for a slot now
 * @param peakConcurrency most calls holding a slot at once since the last reset
 * @param peakQueued      most calls waiting at once since the last reset
 * @param recent          the last finished calls, oldest first
 * @param imageParts      image parts in the calls finished since the last reset
 */
record StatsSnapshot(long calls, long completed, long cancelled, long errors429, long errors500, int inFlight,
                     int queued, int peakConcurrency, int peakQueued, List<CallRecord> recent, long imageParts) {
}
