package io.metastream.core.estimate;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.core.task.TaskEnvironment;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour log-probabilities a worker publishes come from the actor's forward pass, not a second one. */
class RolloutLogProbsTest {

    @Test
    void episodeWithLogProbsIsTheEpisodeAndItsLogProbsBitForBit() {
        PointNavigationFamily family = new PointNavigationFamily();
        GaussianMlpPolicy policy = new GaussianMlpPolicy(family.obsDim(), new int[] {16, 16}, family.actDim());
        double[] theta = policy.initialParameters(new SplittableRandom(3), -0.5, 1.0);
        RunningMoments moments = new RunningMoments(10, new double[] {0.1, -0.2}, new double[] {3.0, 5.0});
        ObservationNormalizer normalizer = ObservationNormalizer.of(moments);
        ContinuousRollouts rollouts = new ContinuousRollouts(policy, 30, 10, 0.99);
        PointGoal goal = family.sampleTasks(1, Seeds.rng(5, 1)).get(0);
        for (ContinuousRollouts.Mode mode : ContinuousRollouts.Mode.values()) {
            for (int e = 0; e < 3; e++) {
                TaskEnvironment<PointGoal, double[], double[]> env = family.newEnvironment(goal, rollouts.environmentHorizon());
                ContinuousTrajectory plain = rollouts.episode(env, theta, normalizer, 77, e, mode);
                env = family.newEnvironment(goal, rollouts.environmentHorizon());
                ContinuousRollouts.Played played = rollouts.episodeWithLogProbs(env, theta, normalizer, 77, e, mode);
                ContinuousTrajectory t = played.trajectory();
                assertThat(t.observations()).isEqualTo(plain.observations());
                assertThat(t.actions()).isEqualTo(plain.actions());
                assertThat(t.rewards()).isEqualTo(plain.rewards());
                assertThat(t.continuationReturn()).isEqualTo(plain.continuationReturn());
                assertThat(played.behaviourLogProbs()).hasSize(t.length());
                double[] z = new double[family.obsDim()];
                double[] a = new double[family.actDim()];
                for (int s = 0; s < t.length(); s++) {
                    normalizer.normalize(t.observations(), s * family.obsDim(), z, 0);
                    System.arraycopy(t.actions(), s * family.actDim(), a, 0, family.actDim());
                    assertThat(played.behaviourLogProbs()[s]).as("%s episode %d step %d", mode, e, s)
                            .isEqualTo(policy.logProb(theta, z, a));
                }
            }
        }
    }

    /** Lockstep groups of any size give every episode exactly as it is played alone. */
    @Test
    void lockstepEpisodesAreTheEpisodesPlayedOneByOne() {
        PointNavigationFamily family = new PointNavigationFamily();
        GaussianMlpPolicy policy = new GaussianMlpPolicy(family.obsDim(), new int[] {16, 16}, family.actDim());
        double[] theta = policy.initialParameters(new SplittableRandom(4), -0.3, 1.0);
        ObservationNormalizer normalizer = ObservationNormalizer.of(
                new RunningMoments(10, new double[] {0.2, 0.1}, new double[] {4.0, 2.0}));
        ContinuousRollouts rollouts = new ContinuousRollouts(policy, 25, 7, 0.95);
        PointGoal goal = family.sampleTasks(1, Seeds.rng(9, 2)).get(0);
        for (ContinuousRollouts.Mode mode : ContinuousRollouts.Mode.values()) {
            for (int size : new int[] {1, 3, 8}) {
                java.util.List<TaskEnvironment<PointGoal, double[], double[]>> envs = new java.util.ArrayList<>();
                for (int i = 0; i < size; i++) {
                    envs.add(family.newEnvironment(goal, rollouts.environmentHorizon()));
                }
                java.util.List<ContinuousRollouts.Played> group = rollouts.lockstep(envs, theta, normalizer, 31, 5, mode);
                assertThat(group).hasSize(size);
                for (int i = 0; i < size; i++) {
                    ContinuousRollouts.Played alone = rollouts.episodeWithLogProbs(
                            family.newEnvironment(goal, rollouts.environmentHorizon()), theta, normalizer, 31, 5 + i, mode);
                    ContinuousTrajectory a = alone.trajectory();
                    ContinuousTrajectory b = group.get(i).trajectory();
                    assertThat(b.episode()).isEqualTo(5 + i);
                    assertThat(b.observations()).as("%s size %d episode %d", mode, size, i).isEqualTo(a.observations());
                    assertThat(b.actions()).isEqualTo(a.actions());
                    assertThat(b.rewards()).isEqualTo(a.rewards());
                    assertThat(b.continuationReturn()).isEqualTo(a.continuationReturn());
                    assertThat(group.get(i).behaviourLogProbs()).isEqualTo(alone.behaviourLogProbs());
                }
            }
        }
    }
}
