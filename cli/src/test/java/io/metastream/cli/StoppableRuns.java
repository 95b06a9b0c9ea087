package io.metastream.cli;

import io.metastream.broker.SharedKafkaBroker;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the tests that stop a trainer mid-experiment and resume it share. */
final class StoppableRuns {

    private StoppableRuns() {
    }

    /** Thrown from a progress callback: the trainer stops right after a round was committed. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test", null, false, false);
        }
    }

    /**
     * A small Frozen Lake (low variance, Alg(2)) experiment of 5 rounds × 2 tasks × 30 episodes with a
     * fresh id starting with {@code idPrefix}, fast enough to run through the pipeline several times.
     */
    static ExperimentFile smallFrozenLake(String idPrefix, int seed, int maxStaleness) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment-id", SharedKafkaBroker.uniqueName(idPrefix));
        m.put("family", "frozenlake-low");
        m.put("alg", "2");
        m.put("seed", seed);
        m.put("iterations", 5);
        m.put("tasks-per-iteration", 2);
        m.put("episodes", 30);
        m.put("sarsa-sweeps", 3);
        m.put("max-staleness", maxStaleness);
        return ExperimentFile.fromMap(m, "test");
    }
}
