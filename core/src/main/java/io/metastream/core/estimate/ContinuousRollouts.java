package io.metastream.core.estimate;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.env.StepResult;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.TaskEnvironment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rolls out a Gaussian MLP policy π_θ acting on normalised observations. As in
 * {@link TabularRollouts}, episode {@code e} of a collection with seed {@code seed} resets the
 * environment with {@code Seeds.derive(seed, e)} and draws its action noise from
 * {@code Seeds.rng(seed, e)}, so any subset of episodes can be produced anywhere with identical results.
 *
 * <p>Each episode takes up to H = {@code horizon} steps (the trajectory) and then, unless the MDP
 * terminated, C = {@code continuation} more steps with the same policy whose discounted rewards
 * Σ_{k<C} γ^k r_{H+k} become {@link ContinuousTrajectory#continuationReturn()} (BOMRL.md
 * §Estimators; C = 0 disables it). The environment must therefore truncate no earlier than H + C.
 * {@link Mode#DETERMINISTIC} takes the mean action μ_θ(z) and draws no noise.
 *
 * <p>The action array handed to {@code env.step} is reused: environments must not keep it.
 * Holds workspaces: not thread-safe.
 */
public final class ContinuousRollouts {

    /** Sampled actions a ~ π_θ(·|z) or the mean μ_θ(z). */
    public enum Mode { STOCHASTIC, DETERMINISTIC }

    private final GaussianMlpPolicy policy;
    private final int horizon;
    private final int continuation;
    private final double gamma;
    private final int obsDim;
    private final int actDim;
    private final double[] z;
    private final double[] a;

    public ContinuousRollouts(GaussianMlpPolicy policy, int horizon, int continuation, double gamma) {
        if (horizon <= 0 || continuation < 0) {
            throw new IllegalArgumentException("horizon must be positive and continuation >= 0, got " + horizon + ", "
                    + continuation);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        this.policy = policy.copy();
        this.horizon = horizon;
        this.continuation = continuation;
        this.gamma = gamma;
        this.obsDim = policy.obsDim();
        this.actDim = policy.actDim();
        this.z = new double[obsDim];
        this.a = new double[actDim];
    }

    /** The environment horizon this instance needs: H + C. */
    public int environmentHorizon() {
        return horizon + continuation;
    }

    /** Episode {@code episode} of the collection {@code seed}. */
    public ContinuousTrajectory episode(TaskEnvironment<?, double[], double[]> env, double[] theta,
                                        ObservationNormalizer normalizer, long seed, int episode, Mode mode) {
        if (normalizer.dim() != obsDim) {
            throw new IllegalArgumentException("normaliser of dim " + normalizer.dim() + " for observations of dim " + obsDim);
        }
        SplittableRandom rng = Seeds.rng(seed, episode);
        GaussianMlpPolicy.Actor actor = policy.actor(theta);   // bit-identical to policy.mean/sample, faster
        double[] obs = new double[(horizon + 1) * obsDim];
        double[] actions = new double[horizon * actDim];
        double[] rewards = new double[horizon];
        double[] s = env.reset(Seeds.derive(seed, episode));
        checkObservation(s);
        System.arraycopy(s, 0, obs, 0, obsDim);
        int t = 0;
        boolean terminated = false;
        while (t < horizon && !terminated) {
            act(actor, normalizer, s, rng, mode);
            System.arraycopy(a, 0, actions, t * actDim, actDim);
            StepResult<double[]> step = env.step(a);
            rewards[t] = step.reward();
            s = step.observation();
            checkObservation(s);
            t++;
            System.arraycopy(s, 0, obs, t * obsDim, obsDim);
            terminated = step.terminated();
            if (step.truncated() && !terminated && t < horizon + continuation) {
                throw truncatedEarly(t);
            }
        }
        double tail = 0;
        double w = 1;
        for (int k = 0; k < continuation && !terminated; k++) {
            act(actor, normalizer, s, rng, mode);
            StepResult<double[]> step = env.step(a);
            tail += w * step.reward();
            w *= gamma;
            s = step.observation();
            checkObservation(s);
            terminated = step.terminated();
            if (step.truncated() && !terminated && k + 1 < continuation) {
                throw truncatedEarly(horizon + k + 1);
            }
        }
        return new ContinuousTrajectory(episode, obsDim, actDim, Arrays.copyOf(obs, (t + 1) * obsDim),
                Arrays.copyOf(actions, t * actDim), Arrays.copyOf(rewards, t), tail);
    }

    /** Episodes {@code start .. start+count-1}, in order. */
    public List<ContinuousTrajectory> collect(TaskEnvironment<?, double[], double[]> env, double[] theta,
                                              ObservationNormalizer normalizer, long seed, int start, int count, Mode mode) {
        List<ContinuousTrajectory> out = new ArrayList<>(count);
        for (int e = start; e < start + count; e++) {
            out.add(episode(env, theta, normalizer, seed, e, mode));
        }
        return out;
    }

    /** Mean of {@link ContinuousTrajectory#undiscountedReturn()} over a collection. */
    public static double meanUndiscountedReturn(List<ContinuousTrajectory> episodes) {
        double sum = 0;
        for (ContinuousTrajectory e : episodes) {
            sum += e.undiscountedReturn();
        }
        return sum / episodes.size();
    }

    private void act(GaussianMlpPolicy.Actor actor, ObservationNormalizer normalizer, double[] s, SplittableRandom rng,
                     Mode mode) {
        normalizer.normalize(s, 0, z, 0);
        if (mode == Mode.DETERMINISTIC) {
            actor.mean(z, a);
        } else {
            actor.sample(z, rng, a);
        }
    }

    private void checkObservation(double[] s) {
        if (s.length != obsDim) {
            throw new IllegalArgumentException("environment observation has " + s.length + " entries, policy expects " + obsDim);
        }
    }

    private IllegalStateException truncatedEarly(int t) {
        return new IllegalStateException("environment truncated after " + t + " steps; build it with horizon H + C = "
                + (horizon + continuation));
    }
}
