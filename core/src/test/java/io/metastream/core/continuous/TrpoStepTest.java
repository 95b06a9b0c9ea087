package io.metastream.core.continuous;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrpoStepTest {

    private static final int N = 32;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] obs = Fd.uniform(N * 3, 1.5, 81);
    private final double[] thetaOld = policy.initialParameters(new java.util.SplittableRandom(82), -0.7, 0.01);

    /** L(θ) = −(1/N) Σ_i log π_θ(a_i|s_i) for target actions a_i from a different policy. */
    private ScalarObjective negativeLogLikelihood() {
        double[] target = Fd.randomTheta(policy, 83);
        double[] actions = new double[N * 2];
        double[] s = new double[3];
        for (int i = 0; i < N; i++) {
            System.arraycopy(obs, 3 * i, s, 0, 3);
            System.arraycopy(policy.mean(target, s), 0, actions, 2 * i, 2);
        }
        double[] w = new double[N];
        java.util.Arrays.fill(w, -1.0 / N);
        GaussianMlpPolicy own = policy.copy();
        return new ScalarObjective() {
            @Override
            public double value(double[] x) {
                return own.surrogate(x, obs, actions, w, N);
            }

            @Override
            public void gradient(double[] x, double[] out) {
                own.surrogateGradient(x, obs, actions, w, N, out);
            }
        };
    }

    @Test
    void stepImprovesLogLikelihoodLossWithinTheTrustRegion() {
        for (double maxKl : new double[] {0.01, 0.03}) {
            ScalarObjective loss = negativeLogLikelihood();
            TrpoStep.Result r = new TrpoStep(policy, TrpoStep.Config.defaults(maxKl)).step(thetaOld, obs, N, loss);
            double kl = new DiagonalGaussianKl(policy).value(thetaOld, r.theta(), obs, N);
            System.out.printf("TRPO maxKl=%.2f: KL %.4e, improvement %.4e (expected %.4e), halvings %d, CG residual %.3e%n",
                    maxKl, kl, r.improvement(), r.expectedImprovement(), r.halvings(), r.cgResidual());
            assertThat(r.accepted()).isTrue();
            assertThat(kl).isEqualTo(r.kl()).isPositive().isLessThanOrEqualTo(maxKl);
            assertThat(r.improvement()).isPositive()
                    .isEqualTo(loss.value(thetaOld) - loss.value(r.theta()))
                    .isGreaterThan(0.1 * r.expectedImprovement());
        }
    }

    @Test
    void quadraticLossIsDecreasedAndKlBounded() {
        double[] target = Fd.uniform(thetaOld.length, 1.0, 91);
        ScalarObjective loss = new ScalarObjective() {
            @Override
            public double value(double[] x) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += 0.5 * (x[i] - target[i]) * (x[i] - target[i]);
                }
                return s;
            }

            @Override
            public void gradient(double[] x, double[] out) {
                for (int i = 0; i < x.length; i++) {
                    out[i] = x[i] - target[i];
                }
            }
        };
        TrpoStep.Result r = new TrpoStep(policy, TrpoStep.Config.defaults(0.01)).step(thetaOld, obs, N, loss);
        assertThat(r.accepted()).isTrue();
        assertThat(loss.value(r.theta())).isLessThan(loss.value(thetaOld));
        assertThat(new DiagonalGaussianKl(policy).value(thetaOld, r.theta(), obs, N)).isLessThanOrEqualTo(0.01);
    }

    @Test
    void returnsOldParametersWhenNoCandidateImproves() {
        // a loss minimised at θ_old whose reported gradient is wrong: every candidate gets worse
        double[] fakeGrad = Fd.uniform(thetaOld.length, 1.0, 92);
        ScalarObjective loss = new ScalarObjective() {
            @Override
            public double value(double[] x) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += (x[i] - thetaOld[i]) * (x[i] - thetaOld[i]);
                }
                return s;
            }

            @Override
            public void gradient(double[] x, double[] out) {
                System.arraycopy(fakeGrad, 0, out, 0, out.length);
            }
        };
        TrpoStep.Result r = new TrpoStep(policy, TrpoStep.Config.defaults(0.01)).step(thetaOld, obs, N, loss);
        assertThat(r.accepted()).isFalse();
        assertThat(r.theta()).containsExactly(thetaOld);
        assertThat(r.halvings()).isEqualTo(10);
    }
}
