package io.metastream.producers;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.schemas.PolicyParams;
import java.util.Arrays;
import java.util.List;

/**
 * A Gaussian MLP policy π_θ a worker can roll out, decoded from a {@value #GAUSSIAN_MLP}
 * {@link PolicyParams} record: {@code shape = [obsDim, hidden..., actDim]} (the hidden widths must be
 * the experiment's), {@code params} = θ in {@link GaussianMlpPolicy}'s flat layout, and the observation
 * normaliser as running moments (count, mean, M2), turned into the normaliser exactly as
 * {@link ContinuousBoMrl#normalizer} does (identity when the experiment does not normalise or
 * the count is 0). Immutable; {@link #theta()} must not be modified.
 */
public record GaussianBehaviourPolicy(String policyId, long version, ContinuousExperimentConfig experiment, int obsDim,
                                      int actDim, double[] theta, ObservationNormalizer normalizer)
    implements RolloutPolicy {

  /** The {@code policyType} of a Gaussian MLP policy. */
  public static final String GAUSSIAN_MLP = "gaussian-mlp";

  /** A new {@link ContinuousBoMrl} of this policy's architecture: one per episode (it is not thread-safe). */
  public ContinuousBoMrl bomrl() {
    return new ContinuousBoMrl(experiment, obsDim, actDim);
  }

  /**
   * Decodes and validates a {@value #GAUSSIAN_MLP} record for {@code experiment}.
   *
   * @throws IllegalArgumentException naming the policy id and the offending value
   */
  public static GaussianBehaviourPolicy from(PolicyParams params, ContinuousExperimentConfig experiment) {
    String id = params.getPolicyId();
    if (!GAUSSIAN_MLP.equals(params.getPolicyType())) {
      throw new IllegalArgumentException("policy '" + id + "': policyType '" + params.getPolicyType()
          + "' is not supported by a continuous experiment, expected '" + GAUSSIAN_MLP + "'");
    }
    List<Integer> shape = params.getShape();
    int[] hidden = experiment.hidden();
    if (shape.size() != hidden.length + 2 || shape.get(0) < 1 || shape.get(shape.size() - 1) < 1
        || !Arrays.equals(shape.subList(1, shape.size() - 1).stream().mapToInt(Integer::intValue).toArray(), hidden)) {
      throw new IllegalArgumentException("policy '" + id + "': shape " + shape + " is not [obsDim, "
          + Arrays.toString(hidden).replaceAll("[\\[\\]]", "") + ", actDim] (the experiment's hidden widths "
          + Arrays.toString(hidden) + ", positive dimensions)");
    }
    int obsDim = shape.get(0);
    int actDim = shape.get(shape.size() - 1);
    double[] theta = finite(id, "params", params.getParams());
    int expected = new GaussianMlpPolicy(obsDim, hidden, actDim).parameterCount();
    if (theta.length != expected) {
      throw new IllegalArgumentException("policy '" + id + "': " + theta.length + " params for shape " + shape
          + ", expected " + expected);
    }
    RunningMoments moments = moments(id, params, obsDim);
    ObservationNormalizer normalizer = new ContinuousBoMrl(experiment, obsDim, actDim).normalizer(moments);
    return new GaussianBehaviourPolicy(id, params.getVersion(), experiment, obsDim, actDim, theta, normalizer);
  }

  private static RunningMoments moments(String id, PolicyParams p, int obsDim) {
    long count = p.getObservationCount();
    if (count < 0) {
      throw new IllegalArgumentException("policy '" + id + "': observationCount " + count + " is negative");
    }
    if (count == 0) {
      return RunningMoments.empty(obsDim);
    }
    double[] mean = finite(id, "observationMean", p.getObservationMean());
    double[] m2 = finite(id, "observationM2", p.getObservationM2());
    if (mean.length != obsDim || m2.length != obsDim) {
      throw new IllegalArgumentException("policy '" + id + "': observation moments of lengths " + mean.length + " and "
          + m2.length + ", expected obsDim " + obsDim);
    }
    for (double v : m2) {
      if (v < 0) {
        throw new IllegalArgumentException("policy '" + id + "': negative observationM2 " + v);
      }
    }
    return new RunningMoments(count, mean, m2);
  }

  private static double[] finite(String id, String field, List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
      if (!Double.isFinite(out[i])) {
        throw new IllegalArgumentException("policy '" + id + "': non-finite " + field + "[" + i + "] = " + out[i]);
      }
    }
    return out;
  }
}
