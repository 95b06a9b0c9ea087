package io.metastream.streams;

import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.schemas.Topics;

import java.util.Objects;

/**
 * What the adapter needs to know, validated once at start (STYLE.md habit 5).
 *
 * @param experimentId     the experiment id; also the topic prefix ({@link Topics#of})
 * @param experiment       the tabular experiment (algorithm, λ_train, SARSA settings) whose per-task
 *                         math the adapter runs through core's {@code TabularBoMrl}
 * @param episodesPerBatch distinct episodes that complete a task's PRE or POST batch; the reference
 *                         loop uses {@code experiment.episodes()} (see {@link #of})
 */
public record AdapterConfig(String experimentId, TabularExperimentConfig experiment, int episodesPerBatch) {

    public AdapterConfig {
        Objects.requireNonNull(experiment, "experiment");
        Topics.TRAJECTORIES.of(experimentId); // validates the id with the topic naming rule
        if (episodesPerBatch <= 0) {
            throw new IllegalArgumentException("episodes-per-batch must be positive, got " + episodesPerBatch);
        }
    }

    /** The paper's setting: a batch is {@code experiment.episodes()} episodes, as in the reference loop. */
    public static AdapterConfig of(String experimentId, TabularExperimentConfig experiment) {
        return new AdapterConfig(experimentId, experiment, experiment.episodes());
    }

    /** Kafka Streams {@code application.id} of this experiment's adapter: {@code <experimentId>-adapter}. */
    public String applicationId() {
        return experimentId + "-adapter";
    }

    public String topic(Topics topic) {
        return topic.of(experimentId);
    }
}
