package io.metastream.streams;

import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.schemas.Phase;
import io.metastream.schemas.Topics;

import java.util.Objects;

/**
 * What the adapter needs to know, validated once at start (STYLE.md habit 5).
 *
 * @param experimentId     the experiment id; also the topic prefix ({@link Topics#of})
 * @param experiment       the experiment whose per-task math the adapter runs: tabular (algorithm,
 *                         λ_train, SARSA settings, through core's {@code TabularBoMrl}) or continuous
 *                         (lower level, hypergradient, through core's {@code ContinuousBoMrl})
 * @param episodesPerBatch distinct episodes that complete a task's PRE batch, and for a tabular
 *                         experiment every batch (PRE, POST, EVAL); a continuous POST batch is
 *                         {@code postRollouts}. The reference loops use {@code episodes()} (tabular)
 *                         and {@code preRollouts()} (continuous), see {@link #of}
 */
public record AdapterConfig(String experimentId, MetaExperiment experiment, int episodesPerBatch) {

    public AdapterConfig {
        Objects.requireNonNull(experiment, "experiment");
        Topics.TRAJECTORIES.of(experimentId); // validates the id with the topic naming rule
        if (episodesPerBatch <= 0) {
            throw new IllegalArgumentException("episodes-per-batch must be positive, got " + episodesPerBatch);
        }
    }

    /**
     * The reference loops' batches: {@code episodes()} for every tabular batch; {@code preRollouts()}
     * PRE and {@code postRollouts()} POST episodes for a continuous experiment.
     */
    public static AdapterConfig of(String experimentId, MetaExperiment experiment) {
        int pre = experiment instanceof ContinuousExperimentConfig c ? c.preRollouts()
                : ((TabularExperimentConfig) experiment).episodes();
        return new AdapterConfig(experimentId, experiment, pre);
    }

    /** Distinct episodes that complete a batch of {@code phase}. */
    public int batchSize(Phase phase) {
        return experiment instanceof ContinuousExperimentConfig c && phase == Phase.POST ? c.postRollouts()
                : episodesPerBatch;
    }

    /** Whether the experiment is continuous (Gaussian MLP policies). */
    public boolean isContinuous() {
        return experiment instanceof ContinuousExperimentConfig;
    }

    /** The tabular experiment; throws when the experiment is continuous. */
    TabularExperimentConfig tabular() {
        if (experiment instanceof TabularExperimentConfig t) {
            return t;
        }
        throw new IllegalStateException("experiment " + experimentId + " is not tabular: " + experiment.family());
    }

    /** The continuous experiment; throws when the experiment is tabular. */
    ContinuousExperimentConfig continuous() {
        if (experiment instanceof ContinuousExperimentConfig c) {
            return c;
        }
        throw new IllegalStateException("experiment " + experimentId + " is not continuous: " + experiment.family());
    }

    /** Kafka Streams {@code application.id} of this experiment's adapter: {@code <experimentId>-adapter}. */
    public String applicationId() {
        return experimentId + "-adapter";
    }

    /** Kafka Streams {@code application.id} of the adapter's {@link PolicyAudit}: {@code <experimentId>-adapter-policy-audit}. */
    public String policyAuditApplicationId() {
        return applicationId() + "-policy-audit";
    }

    /** The number of states of the tabular family's maps (every map of a family has the same size). */
    int tabularStates() {
        return FrozenLakeFamily.byName(tabular().family()).testTasks().get(0).nStates();
    }

    public String topic(Topics topic) {
        return topic.of(experimentId);
    }
}
