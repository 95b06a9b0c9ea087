package io.metastream.trainer;

import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.schemas.AvroSerde;
import io.metastream.schemas.ContinuousTaskTerms;
import io.metastream.schemas.DeadLetter;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.TaskMetaGradient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The trainer's reading of its input topic, {@code meta-gradients}: decodes and checks each record.
 * The trainer is the topic's only reader, so it owns its dead letters: a bad record goes to
 * {@code dead-letters} (key = the original key) with its raw bytes, position and the reason, through
 * the trainer's producer — inside the trainer's open transaction, so a round's dead letters become
 * visible with the round. A trainer that resumes an experiment reads the topic again from the start;
 * records whose position is already in {@code dead-letters} are not dead-lettered again.
 *
 * <p>Bad: undecodable bytes, a tombstone, another experiment's record, a key other than the task
 * id, a task id that is not one of the trainer's training tasks ({@link TrainerConfig#taskId} of the
 * record's round, round below {@code iterations}, slot below {@code tasksPerIteration}), a negative
 * policy version, a gradient not of φ's length, any non-finite number, and continuous terms that are
 * missing (continuous experiment), present (tabular) or of the wrong lengths. Not bad: a well-formed
 * gradient of an earlier round or of a slot already filled — the caller ignores those.
 */
final class MetaGradientIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MetaGradientIntake.class);

    private final AvroSerde<TaskMetaGradient> serde = MetastreamSerdes.metaGradient();
    private final String experimentId;
    private final MetaExperiment experiment;
    private final int phiLength;
    private final BiConsumer<String, byte[]> deadLetters;
    private final java.util.Set<Long> alreadyDeadLettered;

    /**
     * @param phiLength   the length of φ, which every gradient must have
     * @param deadLetters sends (key, DeadLetter bytes) to the experiment's dead-letters topic
     */
    MetaGradientIntake(TrainerConfig config, int phiLength, BiConsumer<String, byte[]> deadLetters) {
        this(config, phiLength, deadLetters, java.util.Set.of());
    }

    /** @param alreadyDeadLettered positions ({@link #position}) of records an earlier trainer dead-lettered */
    MetaGradientIntake(TrainerConfig config, int phiLength, BiConsumer<String, byte[]> deadLetters,
                       java.util.Set<Long> alreadyDeadLettered) {
        this.experimentId = config.experimentId();
        this.experiment = config.experiment();
        this.phiLength = phiLength;
        this.deadLetters = deadLetters;
        this.alreadyDeadLettered = alreadyDeadLettered;
    }

    /** A record position as one number: partition in the top 16 bits, offset below. */
    static long position(int partition, long offset) {
        return (long) partition << 48 | offset;
    }

    /** The record's gradient, or null when it was bad (and has been dead-lettered). */
    TaskMetaGradient accept(ConsumerRecord<String, byte[]> rec) {
        TaskMetaGradient g;
        Optional<String> problem;
        try {
            g = serde.deserialize(rec.value());
            problem = g == null ? Optional.of("tombstone: a meta-gradient record needs a value") : problem(rec.key(), g);
        } catch (SerializationException e) {
            g = null;
            problem = Optional.of("undecodable meta-gradient: " + e.getMessage());
        }
        if (problem.isEmpty()) {
            return g;
        }
        deadLetter(rec, problem.get());
        return null;
    }

    /** Sends {@code rec} to the dead letters with {@code reason}, unless an earlier trainer already did. */
    void deadLetter(ConsumerRecord<String, byte[]> rec, String reason) {
        if (alreadyDeadLettered.contains(position(rec.partition(), rec.offset()))) {
            return;
        }
        Optional<String> problem = Optional.of(reason);
        LOG.warn("dead-lettering the meta-gradient at {}-{}@{}: {}", rec.topic(), rec.partition(), rec.offset(),
                problem.get());
        DeadLetter letter = DeadLetter.newBuilder().setOriginalTopic(rec.topic()).setPartition(rec.partition())
                .setOffset(rec.offset())
                .setKey(rec.key() == null ? null : ByteBuffer.wrap(rec.key().getBytes(StandardCharsets.UTF_8)))
                .setValue(rec.value() == null ? null : ByteBuffer.wrap(rec.value()))
                .setReason(problem.get()).setTimestampMillis(System.currentTimeMillis()).build();
        deadLetters.accept(rec.key(), MetastreamSerdes.deadLetter().serialize(letter));
    }

    /** Why a decoded meta-gradient is unusable, or empty. */
    Optional<String> problem(String key, TaskMetaGradient g) {
        if (!experimentId.equals(g.getExperimentId())) {
            return Optional.of("experiment '" + g.getExperimentId() + "' is not this trainer's experiment '"
                    + experimentId + "'");
        }
        if (!g.getTaskId().equals(key)) {
            return Optional.of("key '" + key + "' does not match taskId '" + g.getTaskId() + "'");
        }
        if (g.getRound() < 0 || g.getRound() >= experiment.iterations()) {
            return Optional.of("task '" + g.getTaskId() + "' can never be assigned: round " + g.getRound()
                    + " outside the run [0, " + experiment.iterations() + ")");
        }
        if (slot(g.getTaskId(), g.getRound()) < 0) {
            return Optional.of("task id '" + g.getTaskId() + "' is not one of round " + g.getRound() + "'s tasks "
                    + TrainerConfig.taskId(g.getRound(), 0) + " .. "
                    + TrainerConfig.taskId(g.getRound(), experiment.tasksPerIteration() - 1));
        }
        if (g.getPolicyVersion() < 0) {
            return Optional.of("negative policyVersion " + g.getPolicyVersion());
        }
        if (g.getGradient().size() != phiLength) {
            return Optional.of("gradient of length " + g.getGradient().size() + ", expected " + phiLength
                    + " (the meta-prior's parameters)");
        }
        return nonFinite("gradient", g.getGradient())
                .or(() -> nonFinite("diagnostics", List.of(g.getCgResidual(), g.getKlAdaptedPrior(), g.getPreReturn(),
                        g.getPostReturn())))
                .or(() -> continuousProblem(g.getContinuous()));
    }

    private Optional<String> continuousProblem(ContinuousTaskTerms c) {
        boolean continuous = experiment instanceof ContinuousExperimentConfig;
        if (c == null) {
            return continuous ? Optional.of("no continuous terms in a continuous experiment") : Optional.empty();
        }
        if (!continuous) {
            return Optional.of("continuous terms in a tabular experiment");
        }
        int d = c.getStateDim();
        if (c.getAdaptedParams().size() != phiLength || c.getCgSolution().size() != phiLength || d < 1
                || c.getStates().size() % d != 0 || c.getObservationMean().size() != d || c.getObservationM2().size() != d
                || c.getObservationCount() < 0) {
            return Optional.of("continuous terms of lengths adaptedParams " + c.getAdaptedParams().size() + ", cgSolution "
                    + c.getCgSolution().size() + ", states " + c.getStates().size() + " (stateDim " + d
                    + "), observation moments " + c.getObservationMean().size() + "/" + c.getObservationM2().size()
                    + " of count " + c.getObservationCount() + ", expected " + phiLength + ", " + phiLength
                    + ", a multiple of stateDim, stateDim, count >= 0");
        }
        return nonFinite("adaptedParams", c.getAdaptedParams())
                .or(() -> nonFinite("cgSolution", c.getCgSolution()))
                .or(() -> nonFinite("states", c.getStates()))
                .or(() -> nonFinite("observation moments", List.of(c.getObservationCount())))
                .or(() -> nonFinite("observationMean", c.getObservationMean()))
                .or(() -> nonFinite("observationM2", c.getObservationM2()));
    }

    private int slot(String taskId, int round) {
        for (int s = 0; s < experiment.tasksPerIteration(); s++) {
            if (TrainerConfig.taskId(round, s).equals(taskId)) {
                return s;
            }
        }
        return -1;
    }

    private static Optional<String> nonFinite(String field, List<Double> values) {
        for (int i = 0; i < values.size(); i++) {
            if (!Double.isFinite(values.get(i))) {
                return Optional.of("non-finite " + field + "[" + i + "] = " + values.get(i));
            }
        }
        return Optional.empty();
    }
}
