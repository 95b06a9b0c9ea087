package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.schemas.Phase;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContinuousEpisodesTest {

  private final ContinuousEpisodes episodes = new ContinuousEpisodes(GaussianBehaviourPolicyTest.EXP);

  @Test
  void anEpisodeIsTheReferenceRolloutWithLogProbsOfTheNormalisedObservations() {
    GaussianBehaviourPolicy behaviour = (GaussianBehaviourPolicy) episodes.decode(
        GaussianBehaviourPolicyTest.prior("phi-4", GaussianBehaviourPolicyTest.moments()));
    PointNavigationFamily family = new PointNavigationFamily();
    PointGoal goal = new PointGoal(0.3, -0.2);
    RolloutAssignment a = RolloutAssignment.newBuilder().setExperimentId("exp").setAssignmentId("t/r3/PRE").setRound(3)
        .setTaskId("t").setTaskSpec(family.spec(goal)).setPhase(Phase.PRE).setEvalStep(0).setPolicyId("phi-4")
        .setPolicyVersion(4).setEpisodeStart(0).setEpisodeCount(20).setSeed(77L).build();

    Trajectory t = episodes.play(a, behaviour, 5, "w");

    ContinuousBoMrl bomrl = new ContinuousBoMrl(GaussianBehaviourPolicyTest.EXP, 2, 2);
    ContinuousRollouts rollouts = bomrl.trainingRollouts();
    ContinuousTrajectory ref = rollouts.episode(family.newEnvironment(goal, rollouts.environmentHorizon()),
        behaviour.theta(), behaviour.normalizer(), 77L, 5, ContinuousRollouts.Mode.STOCHASTIC);
    assertThat(t.getEpisodeIndex()).isEqualTo(5);
    assertThat(t.getObsDim()).isEqualTo(2);
    assertThat(t.getActDim()).isEqualTo(2);
    assertThat(t.getObservations()).containsExactly(boxed(ref.observations()));
    assertThat(t.getActions()).containsExactly(boxed(ref.actions()));
    assertThat(t.getRewards()).containsExactly(boxed(ref.rewards()));
    assertThat(t.getContinuationReturn()).isEqualTo(ref.continuationReturn()).isNotZero();
    assertThat(t.getUndiscountedReturn()).isEqualTo(ref.undiscountedReturn());
    assertThat(t.getRewards()).hasSize(GaussianBehaviourPolicyTest.EXP.horizon());
    GaussianMlpPolicy pi = bomrl.policy();
    ObservationNormalizer norm = behaviour.normalizer();
    for (int step : new int[] {0, 7, 19}) {
      double[] z = new double[2];
      norm.normalize(ref.observations(), 2 * step, z, 0);
      double expected = pi.logProb(behaviour.theta(), z, Arrays.copyOfRange(ref.actions(), 2 * step, 2 * step + 2));
      assertThat(t.getBehaviourLogProbs().get(step)).isEqualTo(expected);
    }
  }

  @Test
  void badTaskSpecsAndMismatchedPoliciesAreRejectedWithTheReason() {
    assertThat(episodes.taskProblem("pointnav:0.1")).hasValue(
        "task spec of family pointnav: point-navigation task spec must be 'pointnav:X,Y', got 'pointnav:0.1'");
    assertThat(episodes.taskProblem("pointnav:0.1,north")).get().asString().contains("'pointnav:0.1,north'");
    assertThat(episodes.taskProblem("high:SFFF/FHFH/FFFH/HFFG")).isPresent();
    assertThat(episodes.taskProblem("pointnav:0.1,-0.25")).isEmpty();
    RolloutPolicy tabular = BehaviourPolicy.from(Fixtures.metaPrior("phi-t", 0, Fixtures.logits(1)));
    assertThat(episodes.policyProblem(null, tabular)).hasValue("policy 'phi-t' is not a gaussian-mlp policy");
  }

  private static Double[] boxed(double[] values) {
    return Arrays.stream(values).boxed().toArray(Double[]::new);
  }
}
