package io.metastream.trainer;

import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskMetaGradient;

import java.util.List;
import java.util.Map;

/**
 * The meta-learner's side of a round, per experiment kind, as records in and out around core: the
 * initial meta-prior, the wire form of a meta-prior version, the round's PRE collections (tasks and
 * seeds exactly as the in-process reference loop draws them), and the meta-update from the round's
 * per-task meta-gradients in slot order. {@link StreamingTrainer} owns everything Kafka.
 */
sealed interface MetaLearner permits TabularMetaLearner, ContinuousMetaLearner {

    /** One PRE collection of a round: the task spec, the number of episodes and the collection seed. */
    record Collection(String taskSpec, int episodes, long seed) {
    }

    /** The new meta-prior and what to report about the step (metric name → value). */
    record Update(double[] phi, Map<String, Double> diagnostics) {
    }

    static MetaLearner of(MetaExperiment experiment) {
        return experiment instanceof ContinuousExperimentConfig c ? new ContinuousMetaLearner(c)
                : new TabularMetaLearner((TabularExperimentConfig) experiment);
    }

    /** φ₀. */
    double[] initialPhi();

    /** A meta-prior record's policy type, shape, parameters (and normaliser); the caller sets identity fields. */
    PolicyParams.Builder prior(double[] phi);

    /** The PRE collections of round {@code round}, slot by slot. */
    List<Collection> collections(int round);

    /** One meta-update from {@code phi} with the round's meta-gradients in slot order. */
    Update update(double[] phi, List<TaskMetaGradient> slotOrder);

    /**
     * Everything besides φ the next update depends on, as a flat vector recorded with each
     * {@code TrainerDecision} (tabular: the meta-optimiser's state; continuous: the observation
     * moments {@code [count, mean.., M2..]}), so a restarted trainer continues bit for bit.
     */
    double[] state();

    /** Restores a {@link #state()}; throws {@link IllegalArgumentException} if it is not this learner's. */
    void restore(double[] state);
}
