package io.metastream.streams;

import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.schemas.Phase;
import io.metastream.schemas.TaskIds;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a trajectory or assignment can belong to a task of this experiment at all: the checks on
 * its identity fields (experiment id, task id, round, phase) that do not depend on what else the
 * adapter has seen, so that a record that can never be assigned is dead-lettered at once instead
 * of waiting in a store for an assignment that never comes.
 *
 * <ul>
 *   <li>the experiment id is this adapter's;</li>
 *   <li>the task id is 1 to {@value #MAX_LENGTH} characters of {@code [A-Za-z0-9._-]} (it becomes part of
 *       policy ids, assignment ids and store keys);</li>
 *   <li>a task id that starts like one of the trainer's ({@code r} and a digit, or {@code eval-}) must be
 *       exactly of its form — {@code r<round:%04d>-s<slot:%02d>} for training (the trainer's
 *       {@code TrainerConfig.taskId}) or {@code eval-v<version>-t<index:%02d>} for the meta-test — and
 *       in range: the round in the id is the record's, below {@code iterations}, the slot below
 *       {@code tasksPerIteration}, PRE or POST; a meta-test task has phase EVAL, version at most
 *       {@code iterations}, index below the family's number of test tasks, step 1 to {@code testSteps};</li>
 *   <li>any other id (a coordinator other than the trainer, e.g. a test's {@code task-3}) only needs its
 *       round in range: PRE and POST below {@code iterations}, EVAL 0 to {@code testSteps}.</li>
 * </ul>
 * The reason names the field, the value and the bound. The workers apply the same rules
 * ({@code io.metastream.producers.AssignmentCheck}) before they play an assignment.
 */
final class TaskIdentity {

    static final int MAX_LENGTH = 64;
    private static final Pattern CHARSET = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private final String experimentId;
    private final int iterations;
    private final int tasksPerIteration;
    private final int testSteps;
    private final int testTasks;

    TaskIdentity(AdapterConfig config) {
        this.experimentId = config.experimentId();
        this.iterations = config.experiment().iterations();
        this.tasksPerIteration = config.experiment().tasksPerIteration();
        this.testSteps = config.experiment().testSteps();
        this.testTasks = config.isContinuous() ? 0
                : FrozenLakeFamily.byName(config.experiment().family()).testTasks().size();
    }

    /** Why a record with these identity fields can never belong to a task of this experiment, or empty. */
    Optional<String> problem(String recordExperimentId, String taskId, int round, Phase phase) {
        if (!experimentId.equals(recordExperimentId)) {
            return Optional.of("experiment '" + printable(recordExperimentId) + "' is not this adapter's experiment '"
                    + experimentId + "'");
        }
        if (!CHARSET.matcher(taskId).matches()) {
            return Optional.of("malformed task id '" + printable(taskId) + "': expected 1 to " + MAX_LENGTH
                    + " characters of [A-Za-z0-9._-]");
        }
        if (TaskIds.looksLikeTraining(taskId)) {
            return trainingTask(taskId, round, phase);
        }
        if (taskId.startsWith("eval-")) {
            return metaTestTask(taskId, round, phase);
        }
        if (phase == Phase.EVAL) {
            return round < 0 || round > testSteps ? Optional.of("EVAL step " + round + " of task '" + taskId
                    + "' outside [0, " + testSteps + "] (test-steps)") : Optional.empty();
        }
        return round < 0 || round >= iterations ? Optional.of("round " + round + " of task '" + taskId
                + "' outside the run [0, " + iterations + ") (iterations)") : Optional.empty();
    }

    private Optional<String> trainingTask(String taskId, int round, Phase phase) {
        Optional<TaskIds.Training> t = TaskIds.parseTraining(taskId);
        if (t.isEmpty()) {
            return Optional.of("malformed task id '" + taskId + "': expected the trainer's form " + TaskIds.TRAINING_FORM);
        }
        int idRound = t.get().round();
        int slot = t.get().slot();
        if (phase == Phase.EVAL) {
            return Optional.of("training task '" + taskId + "' with phase EVAL (meta-test tasks are eval-v<version>-t<index>)");
        }
        if (idRound != round) {
            return Optional.of("task '" + taskId + "' is of round " + idRound + " but the record says round " + round);
        }
        if (round >= iterations) {
            return Optional.of("task '" + taskId + "' can never be assigned: round " + round + " is beyond the run [0, "
                    + iterations + ") (iterations)");
        }
        if (slot >= tasksPerIteration) {
            return Optional.of("task '" + taskId + "' can never be assigned: slot " + slot + " is beyond [0, "
                    + tasksPerIteration + ") (tasks-per-iteration)");
        }
        return Optional.empty();
    }

    private Optional<String> metaTestTask(String taskId, int step, Phase phase) {
        Optional<TaskIds.MetaTest> t = TaskIds.parseMetaTest(taskId);
        if (t.isEmpty()) {
            return Optional.of("malformed task id '" + taskId + "': expected the trainer's form " + TaskIds.META_TEST_FORM);
        }
        long version = t.get().version();
        int index = t.get().index();
        if (phase != Phase.EVAL) {
            return Optional.of("meta-test task '" + taskId + "' with phase " + phase + ", expected EVAL");
        }
        if (version > iterations) {
            return Optional.of("meta-test task '" + taskId + "' can never be assigned: version " + version
                    + " is beyond the run's last meta-prior v" + iterations);
        }
        if (index >= testTasks) {
            return Optional.of("meta-test task '" + taskId + "' can never be assigned: test task " + index
                    + " is beyond the family's " + testTasks + " test tasks");
        }
        if (step < 1 || step > testSteps) {
            return Optional.of("EVAL step " + step + " of task '" + taskId + "' outside [1, " + testSteps + "] (test-steps)");
        }
        return Optional.empty();
    }

    /** The value with control and non-ASCII characters escaped and cut to 80 characters, for a one-line reason. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return i < s.length() ? out + "... (" + s.length() + " chars)" : out.toString();
    }
}
