package io.conclave.bench;

import org.junit.jupiter.api.Test;

/**
 * Runs the {@link Benchmark} under Maven's {@code bench} profile only: the class name matches none of Surefire's
 * default patterns, so {@code ./mvnw verify} never starts it.
 */
class BenchmarkRun {

    @Test
    void run() throws Exception {
        Benchmark.main(new String[0]);
    }
}
