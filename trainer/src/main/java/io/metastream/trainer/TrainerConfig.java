package io.metastream.trainer;

import io.metastream.core.meta.MetaExperiment;
import io.metastream.schemas.TaskIds;
import io.metastream.schemas.Topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The trainer's configuration, validated at start.
 *
 * @param experimentId     experiment id and topic prefix
 * @param bootstrapServers Kafka bootstrap servers
 * @param experiment       the experiment (task family, algorithm, meta-optimiser, seed): tabular or continuous
 * @param roundTimeout     how long to wait for a round's meta-gradients before failing with a clear error
 * @param maxStaleness     how many versions old a round's meta-gradients may be when applied: 0 is
 *                         the paper's synchronous algorithm; k > 0 keeps k further rounds in flight
 * @param clientProperties extra Kafka client properties (security settings and the like)
 * @param manifestConfig   the configuration text recorded in the experiment's manifest (the CLI gives
 *                         its canonical config file, from which {@code replay} rebuilds the experiment);
 *                         null records {@code experiment.toString()}. A restarted trainer must be given
 *                         the same text: it resumes only the experiment its manifest describes.
 */
public record TrainerConfig(String experimentId, String bootstrapServers, MetaExperiment experiment,
                            Duration roundTimeout, int maxStaleness, Map<String, Object> clientProperties,
                            String manifestConfig) {

    /** A trainer recording {@code experiment.toString()} as its manifest config. */
    public TrainerConfig(String experimentId, String bootstrapServers, MetaExperiment experiment,
                         Duration roundTimeout, int maxStaleness, Map<String, Object> clientProperties) {
        this(experimentId, bootstrapServers, experiment, roundTimeout, maxStaleness, clientProperties, null);
    }

    public TrainerConfig {
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("max-staleness must be >= 0, got " + maxStaleness);
        }
        Topics.CONTROL.of(experimentId);
        Objects.requireNonNull(experiment, "experiment");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-servers must be set");
        }
        if (roundTimeout.isNegative() || roundTimeout.isZero()) {
            throw new IllegalArgumentException("round-timeout must be positive, got " + roundTimeout);
        }
        clientProperties = Map.copyOf(clientProperties);
        if (manifestConfig == null) {
            manifestConfig = experiment.toString();
        }
    }

    public String topic(Topics t) {
        return t.of(experimentId);
    }

    /** The id of meta-prior version {@code v}: {@code <experimentId>/prior/v<v>}. */
    public String priorId(long version) {
        return experimentId + "/prior/v" + version;
    }

    /** The task id of slot {@code slot} in round {@code round}: {@code r0007-s02}. */
    public static String taskId(int round, int slot) {
        return TaskIds.training(round, slot);
    }
}
