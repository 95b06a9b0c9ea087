package io.metastream.producers;

/**
 * A policy a worker can roll out, decoded once from its {@code PolicyParams} record and then shared
 * (read-only) by every episode that plays it: a tabular softmax ({@link BehaviourPolicy}) or a
 * Gaussian MLP ({@link GaussianBehaviourPolicy}).
 */
public sealed interface RolloutPolicy permits BehaviourPolicy, GaussianBehaviourPolicy {

  /** Key of the record on the policies topic. */
  String policyId();

  /** Meta-prior version the policy descends from (copied into each trajectory). */
  long version();
}
