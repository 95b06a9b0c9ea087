package io.metastream.streams;

import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.Trajectory;

import java.util.List;
import java.util.Optional;

/**
 * Checks that a decoded trajectory is a well-formed episode of a tabular task whose states and
 * actions fit the behaviour policy's shape [states, actions] (or the family's, while the policy
 * is not known yet). The reason, when there is one, names the field, the
 * step t and the offending value; it is what the dead-letter record carries.
 */
final class TrajectoryValidator implements TrajectoryGate.Validator {

    private final int episodesPerBatch;
    private final int states;
    private final int actions;

    /**
     * @param states  the task family's number of states, used when the policy is not known yet
     * @param actions the task family's number of actions, likewise
     */
    TrajectoryValidator(int episodesPerBatch, int states, int actions) {
        this.episodesPerBatch = episodesPerBatch;
        this.states = states;
        this.actions = actions;
    }

    /**
     * @param key       the record key (task id), or null when the record had none
     * @param behaviour the policy named by {@code t.getPolicyId()}, or null if it is not known yet: the
     *                  global policy store may lag the worker that played it, so an unknown policy is no
     *                  defect of the record (adaptation waits for it); the family's dimensions apply
     * @return why the trajectory is unusable, or empty when it is valid
     */
    @Override
    public Optional<String> problem(String key, Trajectory t, PolicyParams behaviour) {
        if (key != null && !key.equals(t.getTaskId())) {
            return Optional.of("key '" + key + "' does not match taskId '" + t.getTaskId() + "'");
        }
        List<Integer> shape = behaviour == null ? List.of(states, actions) : behaviour.getShape();
        if (shape.size() != 2) {
            return Optional.of("policy '" + t.getPolicyId() + "' has shape " + shape + ", expected [states, actions]");
        }
        if (t.getEpisodeIndex() < 0 || t.getEpisodeIndex() >= episodesPerBatch) {
            return Optional.of("episode index " + t.getEpisodeIndex() + " outside the batch [0, " + episodesPerBatch + ")");
        }
        if (t.getObsDim() != 1 || t.getActDim() != 1) {
            return Optional.of("obsDim " + t.getObsDim() + " and actDim " + t.getActDim()
                    + ", expected 1 and 1 for a tabular task");
        }
        int steps = t.getActions().size();
        if (steps == 0) {
            return Optional.of("empty episode: no actions");
        }
        if (t.getObservations().size() != steps + 1 || t.getRewards().size() != steps
                || t.getBehaviourLogProbs().size() != steps) {
            return Optional.of("lengths: observations " + t.getObservations().size() + ", actions " + steps
                    + ", rewards " + t.getRewards().size() + ", behaviourLogProbs " + t.getBehaviourLogProbs().size()
                    + " (expected T+1, T, T, T)");
        }
        return finite("reward", t.getRewards())
                .or(() -> finite("behaviour log-prob", t.getBehaviourLogProbs()))
                .or(() -> index("state", t.getObservations(), shape.get(0)))
                .or(() -> index("action", t.getActions(), shape.get(1)))
                .or(() -> Double.isFinite(t.getUndiscountedReturn()) ? Optional.empty()
                        : Optional.of("non-finite undiscountedReturn " + t.getUndiscountedReturn()));
    }

    private static Optional<String> finite(String what, List<Double> list) {
        double[] values = DoubleList.values(list);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return Optional.of("non-finite " + what + " at t=" + i + ": " + values[i]);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> index(String what, List<Double> list, int bound) {
        double[] values = DoubleList.values(list);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v) || v != Math.rint(v) || v < 0 || v >= bound) {
                return Optional.of(what + " " + v + " at t=" + i + " is not an integer in [0, " + bound + ")");
            }
        }
        return Optional.empty();
    }
}
