package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianBehaviourPolicyTest {

  static final ContinuousExperimentConfig EXP = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 5);

  /** A pointnav prior [2, 16, 16, 2] with θ from a seeded initialisation and the given moments. */
  static PolicyParams prior(String id, RunningMoments m) {
    double[] theta = new GaussianMlpPolicy(2, EXP.hidden(), 2).initialParameters(new SplittableRandom(3), -0.7, 0.5);
    boolean empty = m.count() == 0;
    return PolicyParams.newBuilder().setPolicyId(id).setVersion(4).setKind(PolicyKind.META_PRIOR)
        .setPolicyType("gaussian-mlp").setShape(List.of(2, 16, 16, 2))
        .setParams(Arrays.stream(theta).boxed().toList()).setParentId(null).setRound(3).setTaskId(null)
        .setObservationCount(m.count())
        .setObservationMean(empty ? List.of() : Arrays.stream(m.mean()).boxed().toList())
        .setObservationM2(empty ? List.of() : Arrays.stream(m.m2()).boxed().toList())
        .build();
  }

  static RunningMoments moments() {
    return RunningMoments.of(new double[] {0.1, -0.2, 0.3, 0.4, -0.05, 0.25}, 3, 2);
  }

  @Test
  void decodesThetaAndTheNormaliserFromTheRunningMoments() {
    PolicyParams record = prior("phi-4", moments());
    GaussianBehaviourPolicy p = GaussianBehaviourPolicy.from(record, EXP);
    assertThat(p.obsDim()).isEqualTo(2);
    assertThat(p.actDim()).isEqualTo(2);
    assertThat(p.version()).isEqualTo(4);
    assertThat(p.theta()).containsExactly(record.getParams().stream().mapToDouble(Double::doubleValue).toArray());
    ObservationNormalizer expected = ObservationNormalizer.of(moments());
    assertThat(p.normalizer().mean()).containsExactly(expected.mean());
    assertThat(p.normalizer().std()).containsExactly(expected.std());
    GaussianBehaviourPolicy fresh = GaussianBehaviourPolicy.from(prior("phi-0", RunningMoments.empty(2)), EXP);
    assertThat(fresh.normalizer().std()).containsExactly(1.0, 1.0);
    assertThat(fresh.normalizer().mean()).containsExactly(0.0, 0.0);
  }

  @Test
  void wrongShapesParamsAndMomentsAreRejectedNamingThePolicy() {
    PolicyParams ok = prior("phi-x", moments());
    PolicyParams wrongHidden = PolicyParams.newBuilder(ok).setShape(List.of(2, 8, 2)).build();
    PolicyParams shortParams = PolicyParams.newBuilder(ok).setParams(ok.getParams().subList(0, 10)).build();
    PolicyParams badMoments = PolicyParams.newBuilder(ok).setObservationMean(List.of(0.0)).build();
    PolicyParams tabular = PolicyParams.newBuilder(ok).setPolicyType("tabular-softmax").build();
    assertThatThrownBy(() -> GaussianBehaviourPolicy.from(wrongHidden, EXP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy 'phi-x': shape [2, 8, 2] is not [obsDim, 16, 16, actDim] (the experiment's hidden widths "
            + "[16, 16], positive dimensions)");
    assertThatThrownBy(() -> GaussianBehaviourPolicy.from(shortParams, EXP))
        .hasMessageContaining("phi-x").hasMessageContaining("10 params").hasMessageContaining("expected 356");
    assertThatThrownBy(() -> GaussianBehaviourPolicy.from(badMoments, EXP))
        .hasMessageContaining("phi-x").hasMessageContaining("lengths 1 and 2");
    assertThatThrownBy(() -> GaussianBehaviourPolicy.from(tabular, EXP))
        .hasMessageContaining("phi-x").hasMessageContaining("'tabular-softmax'");
  }
}
