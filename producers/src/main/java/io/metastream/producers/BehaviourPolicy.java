package io.metastream.producers;

import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.schemas.PolicyParams;
import java.util.List;

/**
 * A tabular policy a worker can roll out, decoded once from its {@link PolicyParams} record and then shared
 * (read-only) by every episode that uses it.
 *
 * @param policyId key of the record on the policies topic
 * @param version meta-prior version the policy descends from (copied into each trajectory)
 * @param policy the tabular softmax policy π_θ, θ row-major over {@code shape = [|S|, |A|]}
 */
public record BehaviourPolicy(String policyId, long version, TabularSoftmaxPolicy policy) implements RolloutPolicy {

  /** The {@code policyType} of a tabular softmax policy. */
  public static final String TABULAR_SOFTMAX = "tabular-softmax";

  /**
   * Decodes a {@code tabular-softmax} record with {@code shape = [nStates, nActions]} and
   * {@code nStates * nActions} finite logits.
   *
   * @throws IllegalArgumentException naming the policy id and the offending value otherwise
   */
  public static BehaviourPolicy from(PolicyParams params) {
    String id = params.getPolicyId();
    if (!TABULAR_SOFTMAX.equals(params.getPolicyType())) {
      throw new IllegalArgumentException("policy '" + id + "': policyType '" + params.getPolicyType()
          + "' is not supported, expected '" + TABULAR_SOFTMAX + "'");
    }
    List<Integer> shape = params.getShape();
    if (shape.size() != 2 || shape.get(0) < 1 || shape.get(1) < 1) {
      throw new IllegalArgumentException("policy '" + id + "': shape " + shape
          + " is not [nStates, nActions] with positive sizes");
    }
    List<Double> p = params.getParams();
    double[] theta = new double[p.size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = p.get(i);
    }
    try {
      return new BehaviourPolicy(id, params.getVersion(),
          new TabularSoftmaxPolicy(shape.get(0), shape.get(1), theta));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("policy '" + id + "': " + e.getMessage(), e);
    }
  }
}
