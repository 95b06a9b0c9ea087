package io.metastream.core.continuous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GaussianMlpPolicy.Actor}, the rollouts' transposed-weight snapshot, acts bit for bit like the
 * policy's own {@code mean} and {@code sample} at the same θ (the same additions in the same order, the
 * same tanh, the same noise draws), on the HalfCheetah shape and on odd small shapes, and does not see
 * later changes to the θ it was made from.
 */
class GaussianMlpActorTest {

    private static final int[][] SHAPES = {{17, 128, 128, 6}, {2, 16, 16, 2}, {3, 5, 1}, {4, 8, 8, 8, 3}, {1, 1}};

    @Test
    void meanAndSampleAreBitIdenticalToThePolicys() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] shape : SHAPES) {
            int[] hidden = java.util.Arrays.copyOfRange(shape, 1, shape.length - 1);
            GaussianMlpPolicy policy = new GaussianMlpPolicy(shape[0], hidden, shape[shape.length - 1]);
            double[] theta = policy.initialParameters(rng.split(), -0.7, 1.0);
            for (int k = 0; k < theta.length; k++) {
                theta[k] += 0.3 * (rng.nextDouble() - 0.5);   // non-zero biases and log σ, larger weights
            }
            GaussianMlpPolicy.Actor actor = policy.actor(theta);
            double[] expected = new double[policy.actDim()];
            double[] actual = new double[policy.actDim()];
            for (int t = 0; t < 200; t++) {
                double[] obs = new double[policy.obsDim()];
                for (int i = 0; i < obs.length; i++) {
                    obs[i] = 4 * (rng.nextDouble() - 0.5);
                }
                policy.mean(theta, obs, expected);
                actor.mean(obs, actual);
                assertThat(actual).as("mean, shape %s", java.util.Arrays.toString(shape)).containsExactly(expected);
                long seed = rng.nextLong();
                policy.sample(theta, obs, new SplittableRandom(seed), expected);
                actor.sample(obs, new SplittableRandom(seed), actual);
                assertThat(actual).as("sample, shape %s", java.util.Arrays.toString(shape)).containsExactly(expected);
            }
        }
    }

    @Test
    void theSnapshotIgnoresLaterChangesToTheta() {
        GaussianMlpPolicy policy = new GaussianMlpPolicy(3, new int[]{8}, 2);
        double[] theta = policy.initialParameters(new SplittableRandom(3), -0.5, 1.0);
        double[] original = theta.clone();
        GaussianMlpPolicy.Actor actor = policy.actor(theta);
        java.util.Arrays.fill(theta, 0.25);
        double[] obs = {0.3, -1.2, 0.7};
        double[] expected = new double[2];
        double[] actual = new double[2];
        policy.mean(original, obs, expected);
        actor.mean(obs, actual);
        assertThat(actual).containsExactly(expected);
        assertThatThrownBy(() -> policy.actor(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected θ of length");
        assertThatThrownBy(() -> actor.mean(new double[2], actual)).hasMessageContaining("observation of dim 3");
    }
}
