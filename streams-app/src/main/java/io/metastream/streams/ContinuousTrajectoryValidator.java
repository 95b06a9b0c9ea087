package io.metastream.streams;

import io.metastream.schemas.DoubleList;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.Trajectory;

import java.util.List;
import java.util.Optional;

/**
 * Checks that a decoded trajectory is a well-formed continuous episode: PRE or POST (the continuous
 * meta-test runs in the trainer, so EVAL episodes are refused), an index inside its phase's batch,
 * T ≥ 1 steps with (T+1)·obsDim observations, T·actDim actions, T rewards and T log-probs, all
 * finite, and dimensions that fit the behaviour policy's {@code gaussian-mlp} shape when the policy
 * is known. The reason names the field and the offending value; it is what the dead letter carries.
 */
final class ContinuousTrajectoryValidator implements TrajectoryGate.Validator {

    private final AdapterConfig config;

    ContinuousTrajectoryValidator(AdapterConfig config) {
        this.config = config;
    }

    @Override
    public Optional<String> problem(String key, Trajectory t, PolicyParams behaviour) {
        if (key != null && !key.equals(t.getTaskId())) {
            return Optional.of("key '" + key + "' does not match taskId '" + t.getTaskId() + "'");
        }
        if (t.getPhase() == Phase.EVAL) {
            return Optional.of("EVAL episode of a continuous experiment: the adapter does not run the continuous "
                    + "meta-test (the trainer runs it in-process)");
        }
        if (behaviour != null) {
            String policy = ContinuousPolicies.problem(behaviour, config.continuous());
            if (policy != null) {
                return Optional.of(policy);
            }
            List<Integer> shape = behaviour.getShape();
            if (t.getObsDim() != shape.get(0) || t.getActDim() != shape.get(shape.size() - 1)) {
                return Optional.of("obsDim " + t.getObsDim() + " and actDim " + t.getActDim() + " do not fit policy '"
                        + t.getPolicyId() + "' of shape " + shape);
            }
        }
        int batch = config.batchSize(t.getPhase());
        if (t.getEpisodeIndex() < 0 || t.getEpisodeIndex() >= batch) {
            return Optional.of("episode index " + t.getEpisodeIndex() + " outside the batch [0, " + batch + ")");
        }
        if (t.getObsDim() < 1 || t.getActDim() < 1) {
            return Optional.of("obsDim " + t.getObsDim() + " and actDim " + t.getActDim() + ", expected positive");
        }
        int steps = t.getRewards().size();
        if (steps == 0) {
            return Optional.of("empty episode: no rewards");
        }
        if (t.getObservations().size() != (steps + 1) * t.getObsDim() || t.getActions().size() != steps * t.getActDim()
                || t.getBehaviourLogProbs().size() != steps) {
            return Optional.of("lengths: observations " + t.getObservations().size() + ", actions " + t.getActions().size()
                    + ", rewards " + steps + ", behaviourLogProbs " + t.getBehaviourLogProbs().size()
                    + " (expected (T+1)·obsDim, T·actDim, T, T)");
        }
        return finite("observation", t.getObservations())
                .or(() -> finite("action", t.getActions()))
                .or(() -> finite("reward", t.getRewards()))
                .or(() -> finite("behaviour log-prob", t.getBehaviourLogProbs()))
                .or(() -> Double.isFinite(t.getContinuationReturn()) ? Optional.empty()
                        : Optional.of("non-finite continuationReturn " + t.getContinuationReturn()))
                .or(() -> Double.isFinite(t.getUndiscountedReturn()) ? Optional.empty()
                        : Optional.of("non-finite undiscountedReturn " + t.getUndiscountedReturn()));
    }

    private static Optional<String> finite(String what, List<Double> list) {
        double[] values = DoubleList.values(list);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return Optional.of("non-finite " + what + " at index " + i + ": " + values[i]);
            }
        }
        return Optional.empty();
    }
}
