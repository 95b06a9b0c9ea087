package io.metastream.producers;

import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaExperiment;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.Phase;
import io.metastream.schemas.TaskIds;
import io.metastream.schemas.RolloutAssignment;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a worker may play an assignment: the rules by which the adapter (the dead-letter owner of
 * the assignments topic, streams-app's {@code AssignmentRecorder} and {@code TaskIdentity}) refuses
 * one, applied before any episode is played, so that a worker never plays — nor waits for the
 * policy of — an assignment the adapter dead-letters, and publishes no trajectory that would be
 * dead-lettered in turn.
 *
 * <ul>
 *   <li>the experiment id is the worker's, the record key is the task id;</li>
 *   <li>the task id is 1 to 64 characters of {@code [A-Za-z0-9._-]}; one that starts like the trainer's
 *       ({@code r} and a digit, {@code eval-}) is exactly {@code r<round:%04d>-s<slot:%02d>} of the
 *       assignment's round with phase PRE or POST, or {@code eval-v<version>-t<index:%02d>} with phase EVAL;</li>
 *   <li>the episode range is not negative;</li>
 *   <li>with the worker's experiment known ({@link WorkerConfig#experiment()}): the round is inside the
 *       run (PRE/POST below {@code iterations}, EVAL up to {@code testSteps}), the slot below
 *       {@code tasksPerIteration}, a meta-test task's version at most {@code iterations} and index below
 *       the family's test tasks, the episode range inside the phase's batch ({@code episodes}; continuous:
 *       {@code preRollouts}, {@code postRollouts}), no EVAL in a continuous experiment, and a tabular map
 *       of the family's size. Without it (a tabular worker started without its experiment) these
 *       range checks are left to the adapter.</li>
 * </ul>
 * The task spec and whether the policy can play the task are checked by {@link Episodes}.
 */
final class AssignmentCheck {

  private static final Pattern CHARSET = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String experimentId;
  private final MetaExperiment experiment;

  /** @param experiment the worker's experiment, or null when it was started without one (tabular) */
  AssignmentCheck(String experimentId, MetaExperiment experiment) {
    this.experimentId = experimentId;
    this.experiment = experiment;
  }

  /** Why the worker must not play the assignment, or empty. */
  Optional<String> problem(String key, RolloutAssignment a) {
    if (!experimentId.equals(a.getExperimentId())) {
      return Optional.of("experiment '" + a.getExperimentId() + "' is not the worker's experiment '" + experimentId + "'");
    }
    if (!a.getTaskId().equals(key)) {
      return Optional.of("key '" + key + "' does not match taskId '" + a.getTaskId() + "'");
    }
    String id = a.getTaskId();
    if (!CHARSET.matcher(id).matches()) {
      return Optional.of("malformed task id '" + id + "'");
    }
    if (a.getEpisodeStart() < 0 || a.getEpisodeCount() < 0) {
      return Optional.of("episode range start " + a.getEpisodeStart() + " count " + a.getEpisodeCount()
          + " (expected both >= 0)");
    }
    Optional<String> form = TaskIds.looksLikeTraining(id)
        ? trainingTask(id, a) : id.startsWith("eval-") ? metaTestTask(id, a) : Optional.empty();
    return form.or(() -> experiment == null ? Optional.empty() : inRun(a));
  }

  private static Optional<String> trainingTask(String id, RolloutAssignment a) {
    Optional<TaskIds.Training> t = TaskIds.parseTraining(id);
    if (t.isEmpty()) {
      return Optional.of("malformed task id '" + id + "': expected the trainer's form " + TaskIds.TRAINING_FORM);
    }
    if (a.getPhase() == Phase.EVAL || t.get().round() != a.getRound()) {
      return Optional.of("task '" + id + "' does not fit phase " + a.getPhase() + " round " + a.getRound());
    }
    return Optional.empty();
  }

  private static Optional<String> metaTestTask(String id, RolloutAssignment a) {
    if (TaskIds.parseMetaTest(id).isEmpty()) {
      return Optional.of("malformed task id '" + id + "': expected the trainer's form " + TaskIds.META_TEST_FORM);
    }
    return a.getPhase() == Phase.EVAL ? Optional.empty()
        : Optional.of("meta-test task '" + id + "' with phase " + a.getPhase());
  }

  /** The checks that need the experiment: the task and the episodes exist in the run. */
  private Optional<String> inRun(RolloutAssignment a) {
    String id = a.getTaskId();
    boolean continuous = experiment instanceof ContinuousExperimentConfig;
    if (a.getPhase() == Phase.EVAL) {
      if (continuous) {
        return Optional.of("EVAL assignment of a continuous experiment (its meta-test runs in the trainer)");
      }
      if (a.getRound() < 0 || a.getRound() > experiment.testSteps()) {
        return Optional.of("EVAL step " + a.getRound() + " outside [0, " + experiment.testSteps() + "]");
      }
      Optional<TaskIds.MetaTest> t = TaskIds.parseMetaTest(id);
      if (t.isPresent() && (t.get().version() > experiment.iterations() || a.getRound() < 1
          || t.get().index() >= FrozenLakeFamily.byName(experiment.family()).testTasks().size())) {
        return Optional.of("meta-test task '" + id + "' step " + a.getRound() + " can never be assigned");
      }
    } else {
      if (a.getRound() < 0 || a.getRound() >= experiment.iterations()) {
        return Optional.of("round " + a.getRound() + " outside the run [0, " + experiment.iterations() + ")");
      }
      Optional<TaskIds.Training> t = TaskIds.parseTraining(id);
      if (t.isPresent() && t.get().slot() >= experiment.tasksPerIteration()) {
        return Optional.of("task '" + id + "' can never be assigned: slot beyond " + experiment.tasksPerIteration());
      }
    }
    int batch = batchSize(a.getPhase());
    if ((long) a.getEpisodeStart() + a.getEpisodeCount() > batch) {
      return Optional.of("episode range start " + a.getEpisodeStart() + " count " + a.getEpisodeCount()
          + " outside the " + a.getPhase() + " batch [0, " + batch + ")");
    }
    if (experiment instanceof TabularExperimentConfig t) {
      int states = FrozenLakeFamily.byName(t.family()).testTasks().get(0).nStates();
      try {
        int mapStates = FrozenLakeMap.parse(a.getTaskSpec()).nStates();
        if (mapStates != states) {
          return Optional.of("task spec has " + mapStates + " states, the family's maps have " + states);
        }
      } catch (RuntimeException e) {
        return Optional.of("task spec does not parse: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The adapter's batch of the phase ({@code AdapterConfig.of}): episodes; continuous preRollouts / postRollouts. */
  private int batchSize(Phase phase) {
    if (experiment instanceof ContinuousExperimentConfig c) {
      return phase == Phase.POST ? c.postRollouts() : c.preRollouts();
    }
    return ((TabularExperimentConfig) experiment).episodes();
  }
}
