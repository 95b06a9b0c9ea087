package io.metastream.core.meta;

import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.exact.PolicyEvaluation;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeMap;

import java.util.List;

/**
 * Meta-test evaluation (EXPERIMENTS.md): on every test task start from a policy, then k = 1..K
 * times collect a fresh batch with the current policy and adapt from it. The reported value after
 * k steps is the exact accumulated reward Σ_{t<49} γ^t r_t of the policy (dynamic programming,
 * so no evaluation noise is added to the collection noise).
 *
 * <p>Methods: BO-MRL (Alg anchored at the current policy with λ_test, from the meta-prior),
 * random initialisation (θ = 0, λ = 2·λ_test) and repeated policy gradient from the meta-prior
 * (θ ← θ + η ν̂(s) π(a|s) Â(s,a), η = 50). All methods see the same collection seeds
 * ({@link TabularBoMrl#evalSeed}), which the streaming pipeline's EVAL rounds use too.
 */
public final class TabularMetaTest {

    /** The meta-test methods. */
    public enum Method {
        BOMRL("bomrl"), RANDOM_INIT("random-init"), POLICY_GRADIENT("policy-gradient");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final TabularExperimentConfig config;
    private final TabularBoMrl bomrl;

    public TabularMetaTest(TabularExperimentConfig config) {
        this.config = config;
        this.bomrl = new TabularBoMrl(config, 16, FrozenLakeMap.N_ACTIONS, FrozenLakeMap.GAMMA);
    }

    /** returns[task][k] for k = 0..testSteps. */
    public double[][] evaluate(Method method, double[] metaPrior, List<FrozenLakeMap> tasks) {
        double[][] out = new double[tasks.size()][config.testSteps() + 1];
        int nS = tasks.get(0).nStates();
        int nA = FrozenLakeMap.N_ACTIONS;
        for (int i = 0; i < tasks.size(); i++) {
            FrozenLakeMap map = tasks.get(i);
            double[] theta = method == Method.RANDOM_INIT ? new double[nS * nA] : metaPrior.clone();
            double lambda = method == Method.RANDOM_INIT ? 2 * config.lambdaTest() : config.lambdaTest();
            out[i][0] = exactReturn(map, theta);
            FrozenLake env = new FrozenLake(map);
            for (int k = 1; k <= config.testSteps(); k++) {
                List<TabularTrajectory> episodes = TabularRollouts.collect(env, new TabularSoftmaxPolicy(nS, nA, theta),
                        TabularBoMrl.evalSeed(config.seed(), i, k), 0, config.episodes());
                TabularEstimates est = bomrl.estimate(episodes, theta);
                theta = method == Method.POLICY_GRADIENT ? policyGradientStep(theta, est)
                        : bomrl.adapt(theta, est, lambda);
                out[i][k] = exactReturn(map, theta);
            }
        }
        return out;
    }

    private double[] policyGradientStep(double[] theta, TabularEstimates est) {
        double[] pi = TabularSoftmaxPolicy.probabilities(theta, 16, FrozenLakeMap.N_ACTIONS);
        double[] nu = est.nu();
        double[] adv = est.advantage();
        double[] next = theta.clone();
        for (int i = 0; i < next.length; i++) {
            next[i] += config.pgStepSize() * nu[i / FrozenLakeMap.N_ACTIONS] * pi[i] * adv[i];
        }
        return next;
    }

    /** Exact Σ_{t<49} γ^t r_t of the softmax policy with logits {@code theta} on {@code map}. */
    public static double exactReturn(FrozenLakeMap map, double[] theta) {
        return PolicyEvaluation.of(map.toMdp(), TabularSoftmaxPolicy.probabilities(theta, map.nStates(),
                FrozenLakeMap.N_ACTIONS)).finiteHorizonReturn();
    }

    /** Column means over tasks: the curve of one method for one seed. */
    public static double[] meanOverTasks(double[][] perTask) {
        double[] mean = new double[perTask[0].length];
        for (double[] row : perTask) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += row[k] / perTask.length;
            }
        }
        return mean;
    }
}
