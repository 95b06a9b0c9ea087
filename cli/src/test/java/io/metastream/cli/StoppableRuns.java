package io.metastream.cli;

import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.trainer.ExperimentLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * The finished synchronous experiment's meta-priors v{@code from}..v5 equal, bit for bit, those of
     * the in-process reference loop run on the same experiment.
     */
    static void assertPriorsMatchReference(ExperimentLog log, ExperimentFile ef, int from) {
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(ef.experiment()).train(s -> reference.add(s.phi()));
        for (int v = from; v <= 5; v++) {
            assertThat(log.priorParams(v)).as("meta-prior v%d", v).containsExactly(reference.get(v - 1));
        }
    }

    /**
     * The finished asynchronous (max-staleness 2) experiment, stopped after round 2: the rounds in
     * flight at the stop keep the versions they were issued with (0, 0, 0), then 1, 2.
     */
    static void assertStoppedAsyncVersions(ExperimentLog log) {
        assertThat(log.decisions().values()).extracting(d -> d.getConsumed().get(0).getPolicyVersion())
                .containsExactly(0L, 0L, 0L, 1L, 2L);
    }
}
