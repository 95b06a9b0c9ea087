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
    }

    /** The environment horizon this instance needs: H + C. */
    public int environmentHorizon() {
        return horizon + continuation;
    }

    /**
     * An episode with the behaviour log-probabilities log π_θ(a_t|z_t) of its T steps (z_t normalised), as a
     * worker publishes them.
     */
    public record Played(ContinuousTrajectory trajectory, double[] behaviourLogProbs) {
    }

    /** Episode {@code episode} of the collection {@code seed}. */
    public ContinuousTrajectory episode(TaskEnvironment<?, double[], double[]> env, double[] theta,
                                        ObservationNormalizer normalizer, long seed, int episode, Mode mode) {
        return play(env, theta, normalizer, seed, episode, mode).trajectory();
    }

    /**
     * {@link #episode} and its behaviour log-probabilities, taken from the forward pass that chose each action:
     * bit-identical to {@link GaussianMlpPolicy#logProb} of (z_t, a_t) afterwards, at half the cost.
     */
    public Played episodeWithLogProbs(TaskEnvironment<?, double[], double[]> env, double[] theta,
                                      ObservationNormalizer normalizer, long seed, int episode, Mode mode) {
        return play(env, theta, normalizer, seed, episode, mode);
    }

    private Played play(TaskEnvironment<?, double[], double[]> env, double[] theta, ObservationNormalizer normalizer,
                        long seed, int episode, Mode mode) {
        if (normalizer.dim() != obsDim) {
            throw new IllegalArgumentException("normaliser of dim " + normalizer.dim() + " for observations of dim " + obsDim);
        }
        GaussianMlpPolicy.Actor actor = policy.actor(theta);   // bit-identical to policy.mean/sample, faster
        Lane lane = new Lane(env, seed, episode, mode);
        while (lane.running()) {
            normalizer.normalize(lane.s, 0, z, 0);
            double lp = lane.rng == null ? actor.meanWithLogProb(z, lane.action) : actor.sampleWithLogProb(z, lane.rng, lane.action);
            lane.advance(lp);
        }
        return lane.played();
    }

    /**
     * Episodes {@code start .. start + envs.size() − 1} of the collection {@code seed} played in lockstep, one
     * environment each ({@code envs.get(i)} plays episode {@code start + i}): at every step the observations of
     * all running episodes go through one batched forward pass ({@link GaussianMlpPolicy.Actor#meanBlock}),
     * then each episode draws its noise from its own generator, in episode order. Each episode's draws, actions,
     * observations and log-probabilities are exactly those of {@link #episodeWithLogProbs} (tested), so a worker
     * may split an assignment into any number of lockstep groups. Returns the episodes in order.
     */
    public List<Played> lockstep(List<? extends TaskEnvironment<?, double[], double[]>> envs, double[] theta,
                                 ObservationNormalizer normalizer, long seed, int start, Mode mode) {
        if (normalizer.dim() != obsDim) {
            throw new IllegalArgumentException("normaliser of dim " + normalizer.dim() + " for observations of dim " + obsDim);
        }
        int m = envs.size();
        GaussianMlpPolicy.Actor actor = policy.actor(theta);
        Lane[] lanes = new Lane[m];
        for (int i = 0; i < m; i++) {
            lanes[i] = new Lane(envs.get(i), seed, start + i, mode);
        }
        double[][] zBlock = new double[m][obsDim];
        double[][] mu = new double[actDim][m];
        int[] rowLane = new int[m];
        while (true) {
            int rows = 0;
            for (int i = 0; i < m; i++) {
                if (lanes[i].running()) {
                    normalizer.normalize(lanes[i].s, 0, zBlock[rows], 0);
                    rowLane[rows++] = i;
                }
            }
            if (rows == 0) {
                break;
            }
            actor.meanBlock(zBlock, rows, mu);
            for (int row = 0; row < rows; row++) {
                lanes[rowLane[row]].step(actor, mu, row);
            }
        }
        List<Played> out = new ArrayList<>(m);
        for (Lane lane : lanes) {
            out.add(lane.played());
        }
        return out;
    }

    /**
     * One episode's state, advanced one step at a time: H recorded steps, then (unless the MDP terminated) C
     * continuation steps. {@link #play} drives one with the single-row actor, {@link #lockstep} many with the
     * batched one.
     */
    private final class Lane {
        private final TaskEnvironment<?, double[], double[]> env;
        private final int episode;
        private final SplittableRandom rng;
        private final double[] obs = new double[(horizon + 1) * obsDim];
        private final double[] actions = new double[horizon * actDim];
        private final double[] rewards = new double[horizon];
        private final double[] logProbs = new double[horizon];
        private final double[] action = new double[actDim];
        private double[] s;
        private int t;
        private int k;
        private boolean terminated;
        private double tail;
        private double w = 1;

        Lane(TaskEnvironment<?, double[], double[]> env, long seed, int episode, Mode mode) {
            this.env = env;
            this.episode = episode;
            this.rng = mode == Mode.STOCHASTIC ? Seeds.rng(seed, episode) : null;
            s = env.reset(Seeds.derive(seed, episode));
            checkObservation(s);
            System.arraycopy(s, 0, obs, 0, obsDim);
        }

        boolean running() {
            return !terminated && (t < horizon || k < continuation);
        }

        /** Chooses the action of block row {@code row} ({@link GaussianMlpPolicy.Actor#actFromBlock}) and steps. */
        void step(GaussianMlpPolicy.Actor actor, double[][] mu, int row) {
            advance(actor.actFromBlock(mu, row, rng, action));
        }

        /**
         * Steps the environment with {@link #action} (log-probability {@code lp}): one of the H recorded steps, or
         * one of the C continuation steps whose discounted rewards make the tail.
         */
        void advance(double lp) {
            StepResult<double[]> step = env.step(action);
            if (t < horizon) {
                logProbs[t] = lp;
                System.arraycopy(action, 0, actions, t * actDim, actDim);
                rewards[t] = step.reward();
                s = step.observation();
                checkObservation(s);
                t++;
                System.arraycopy(s, 0, obs, t * obsDim, obsDim);
                terminated = step.terminated();
                if (step.truncated() && !terminated && t < horizon + continuation) {
                    throw truncatedEarly(t);
                }
            } else {
                tail += w * step.reward();
                w *= gamma;
                s = step.observation();
                checkObservation(s);
                terminated = step.terminated();
                if (step.truncated() && !terminated && k + 1 < continuation) {
                    throw truncatedEarly(horizon + k + 1);
                }
                k++;
            }
        }

        Played played() {
            ContinuousTrajectory tr = new ContinuousTrajectory(episode, obsDim, actDim, Arrays.copyOf(obs, (t + 1) * obsDim),
                    Arrays.copyOf(actions, t * actDim), Arrays.copyOf(rewards, t), tail);
            return new Played(tr, Arrays.copyOf(logProbs, t));
        }
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
