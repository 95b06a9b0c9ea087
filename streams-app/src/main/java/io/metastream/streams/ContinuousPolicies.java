package io.metastream.streams;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;

import java.util.Arrays;
import java.util.List;

/**
 * Between the wire's {@code gaussian-mlp} {@link PolicyParams} (shape [obsDim, hidden…, actDim], θ in
 * {@link GaussianMlpPolicy}'s flat layout, the observation normaliser as running moments) and the
 * values core's {@code ContinuousBoMrl} takes.
 */
final class ContinuousPolicies {

    /** The {@code policyType} of a Gaussian MLP policy. */
    static final String POLICY_TYPE = "gaussian-mlp";

    /** A decoded policy: dimensions, parameters and the normaliser's moments. */
    record Decoded(int obsDim, int actDim, double[] params, RunningMoments moments) {
    }

    private ContinuousPolicies() {
    }

    /** Why {@code p} is not a policy of {@code experiment}'s architecture, or null when it is. */
    static String problem(PolicyParams p, ContinuousExperimentConfig experiment) {
        if (!POLICY_TYPE.equals(p.getPolicyType())) {
            return "policy '" + p.getPolicyId() + "' has policyType '" + p.getPolicyType() + "', expected '" + POLICY_TYPE
                    + "' in a continuous experiment";
        }
        List<Integer> shape = p.getShape();
        int[] hidden = experiment.hidden();
        if (shape.size() != hidden.length + 2 || shape.get(0) < 1 || shape.get(shape.size() - 1) < 1
                || !Arrays.equals(shape.subList(1, shape.size() - 1).stream().mapToInt(Integer::intValue).toArray(), hidden)) {
            return "policy '" + p.getPolicyId() + "' has shape " + shape + ", expected [obsDim, "
                    + Arrays.toString(hidden).replaceAll("[\\[\\]]", "") + ", actDim]";
        }
        int expected = new GaussianMlpPolicy(shape.get(0), hidden, shape.get(shape.size() - 1)).parameterCount();
        if (p.getParams().size() != expected) {
            return "policy '" + p.getPolicyId() + "' has " + p.getParams().size() + " params for shape " + shape
                    + ", expected " + expected;
        }
        long count = p.getObservationCount();
        if (count < 0 || count > 0 && (p.getObservationMean().size() != shape.get(0)
                || p.getObservationM2().size() != shape.get(0))) {
            return "policy '" + p.getPolicyId() + "' has observation moments of count " + count + " and lengths "
                    + p.getObservationMean().size() + ", " + p.getObservationM2().size() + ", expected obsDim "
                    + shape.get(0);
        }
        return null;
    }

    /** The policy's values; throws IllegalArgumentException with {@link #problem}'s reason. */
    static Decoded decode(PolicyParams p, ContinuousExperimentConfig experiment) {
        String problem = problem(p, experiment);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int obsDim = p.getShape().get(0);
        RunningMoments moments = p.getObservationCount() == 0 ? RunningMoments.empty(obsDim)
                : new RunningMoments(p.getObservationCount(), DoubleList.toArray(p.getObservationMean()), DoubleList.toArray(p.getObservationM2()));
        return new Decoded(obsDim, p.getShape().get(p.getShape().size() - 1), DoubleList.toArray(p.getParams()), moments);
    }

    /**
     * θ adapted from {@code prior} on {@code taskId}: kind ADAPTED, the prior's version, shape and
     * normaliser moments (the adapted policy acts on the same normalised observations), parent = the prior.
     */
    static PolicyParams adapted(PolicyParams prior, String taskId, int round, double[] theta) {
        return PolicyParams.newBuilder(prior)
                .setPolicyId(TabularPolicies.adaptedId(prior.getPolicyId(), taskId, round))
                .setKind(PolicyKind.ADAPTED)
                .setParams(DoubleList.copyOf(theta))
                .setParentId(prior.getPolicyId())
                .setRound(round)
                .setTaskId(taskId)
                .build();
    }
}
