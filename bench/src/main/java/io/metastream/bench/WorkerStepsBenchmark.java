package io.metastream.bench;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.random.Seeds;
import io.metastream.mujoco.task.LocomotionEnv;
import io.metastream.mujoco.task.VelocityTask;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A rollout worker's env steps per second on one thread (one op = one env step of a horizon-200
 * velocity task: frame skip 5 physics steps through JNI, reward, observation copy; the env is
 * reset every 200 steps, as a worker does):
 * <ul>
 *   <li>{@link #rawPhysics}: actions read from a precomputed table of uniform [−1, 1) draws, so
 *       the cost is the physics and the env wrapper alone;</li>
 *   <li>{@link #withPolicy}: the worker's per-step work on top of that — normalise the observation
 *       z = clip((o − mean) / std, ±5) with a fixed mean/std vector, then sample
 *       a ~ π_φ(·|z) from the Gaussian MLP 128-128 (initial parameters, log σ = −0.7) with the
 *       policy's {@link GaussianMlpPolicy.Actor}, as the rollouts do;</li>
 *   <li>{@link #policyOnly}: that normalise-and-sample alone, without stepping (one op = one action);</li>
 *   <li>{@link #lockstepWithPolicy}, {@link #lockstepRawPhysics} and {@link #lockstepPolicyOnly}: {@value #GROUP} envs
 *       in lockstep, as the workers play episodes: with the policy, without it, and the policy alone.</li>
 * </ul>
 * The normaliser is {@link ObservationNormalizer} fitted once, in setup, to 5 episodes of the
 * initial policy. The figure quoted is withPolicy / rawPhysics per family. Fails in setup with
 * installation advice when MuJoCo is not available.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class WorkerStepsBenchmark {

    private static final long SEED = 20240704L;
    private static final int ACTION_TABLE_ROWS = 4096;

    /** The locomotion family whose env is stepped. */
    @Param({"halfcheetah-vel", "ant-vel"})
    public String family;

    private LocomotionEnv<VelocityTask> env;
    private GaussianMlpPolicy policy;
    private double[] phi;
    private ObservationNormalizer normalizer;
    private GaussianMlpPolicy.Actor actor;
    private double[] actionTable;
    private SplittableRandom actionNoise;
    private double[] observation;
    private double[] z;
    private double[] action;
    private int t;
    private int row;
    private long episode;

    /** The lockstep group: {@value #GROUP} environments stepped together, as a worker plays an assignment's episodes. */
    static final int GROUP = 16;
    private LocomotionEnv<VelocityTask>[] group;
    private double[][] groupObs;
    private double[][] groupZ;
    private double[][] groupMu;
    private double[][] groupAction;
    private int groupT;
    private long groupEpisode;

    @Setup(Level.Trial)
    public void setUp() {
        env = BenchRollouts.velocityEnv(family, 1.0);
        int obsDim = env.observationSize();
        int actDim = env.actionSize();
        policy = BenchRollouts.policy(env);
        phi = policy.initialParameters(Seeds.rng(SEED, 1), BenchRollouts.INIT_LOG_STD, BenchRollouts.OUTPUT_SCALE);
        normalizer = BenchRollouts.fitNormalizer(env, policy, phi, Seeds.derive(SEED, 2), 5);
        actor = policy.actor(phi);   // what ContinuousRollouts acts with (bit-identical to policy.sample)

        SplittableRandom rng = Seeds.rng(SEED, 4);
        actionTable = new double[ACTION_TABLE_ROWS * actDim];
        for (int i = 0; i < actionTable.length; i++) {
            actionTable[i] = rng.nextDouble(-1, 1);
        }
        actionNoise = Seeds.rng(SEED, 5);
        z = new double[obsDim];
        action = new double[actDim];
        episode = 0;
        observation = env.reset(Seeds.derive(SEED, 6, episode));
        t = 0;

        @SuppressWarnings("unchecked")
        LocomotionEnv<VelocityTask>[] g = new LocomotionEnv[GROUP];
        group = g;
        groupObs = new double[GROUP][];
        groupZ = new double[GROUP][obsDim];
        groupMu = new double[actDim][GROUP];
        groupAction = new double[GROUP][actDim];
        for (int i = 0; i < GROUP; i++) {
            group[i] = BenchRollouts.velocityEnv(family, 1.0);
            groupObs[i] = group[i].reset(Seeds.derive(SEED, 7, i));
        }
        groupT = 0;
        groupEpisode = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        env.close();
        for (LocomotionEnv<VelocityTask> e : group) {
            e.close();
        }
    }

    /** One env step with a table action (no policy); returns the reward. */
    @Benchmark
    public double rawPhysics() {
        int actDim = action.length;
        System.arraycopy(actionTable, row * actDim, action, 0, actDim);
        row = (row + 1) % ACTION_TABLE_ROWS;
        return advance();
    }

    /** One env step with the action sampled by the 128-128 policy from the normalised observation. */
    @Benchmark
    public double withPolicy() {
        normalizer.normalize(observation, 0, z, 0);
        actor.sample(z, actionNoise, action);
        return advance();
    }

    /**
     * What the worker did per step before it took the behaviour log-probability from the acting pass: the step
     * of {@link #withPolicy} plus a second forward pass for log π(a|s) ({@code GaussianMlpPolicy.logProb}).
     */
    @Benchmark
    public double withPolicyAndSecondPass() {
        normalizer.normalize(observation, 0, z, 0);
        actor.sample(z, actionNoise, action);
        double lp = policy.logProb(phi, z, action);
        return advance() + lp;
    }

    /**
     * The worker's step now (one op = one env step): {@value #GROUP} episodes in lockstep, their observations
     * through one batched forward pass ({@code Actor.meanBlock}), then each env's action, log-probability and
     * physics step, as {@code ContinuousRollouts.lockstep} plays them.
     */
    @Benchmark
    @OperationsPerInvocation(GROUP)
    public double lockstepWithPolicy() {
        groupPass();
        double sum = 0;
        for (int i = 0; i < GROUP; i++) {
            sum += actor.actFromBlock(groupMu, i, actionNoise, groupAction[i]);
            sum += stepInGroup(i);
        }
        endGroupStep();
        return sum;
    }

    /** The group's observations normalised and through one batched forward pass into {@code groupMu}. */
    private void groupPass() {
        for (int i = 0; i < GROUP; i++) {
            normalizer.normalize(groupObs[i], 0, groupZ[i], 0);
        }
        actor.meanBlock(groupZ, GROUP, groupMu);
    }

    /** Steps env {@code i} of the group with {@code groupAction[i]}; returns the reward. */
    private double stepInGroup(int i) {
        var s = group[i].step(groupAction[i]);
        groupObs[i] = s.observation();
        return s.reward();
    }

    /** After every env of the group has stepped: resets them all at the end of an episode, as a worker does. */
    private void endGroupStep() {
        if (++groupT == env.horizon()) {
            groupEpisode++;
            for (int i = 0; i < GROUP; i++) {
                groupObs[i] = group[i].reset(Seeds.derive(SEED, 8, groupEpisode * GROUP + i));
            }
            groupT = 0;
        }
    }

    /**
     * The physics of {@link #lockstepWithPolicy} alone: the same {@value #GROUP} envs stepped in turn with table actions.
     * Against {@link #rawPhysics} (one env stepped again and again) it shows what round-robin over {@value #GROUP}
     * simulations costs by itself (their state no longer fits in the core's caches), apart from the policy.
     */
    @Benchmark
    @OperationsPerInvocation(GROUP)
    public double lockstepRawPhysics() {
        int actDim = action.length;
        double sum = 0;
        for (int i = 0; i < GROUP; i++) {
            System.arraycopy(actionTable, row * actDim, groupAction[i], 0, actDim);
            row = (row + 1) % ACTION_TABLE_ROWS;
            sum += stepInGroup(i);
        }
        endGroupStep();
        return sum;
    }

    /**
     * The policy's share of {@link #lockstepWithPolicy} alone (one op = one env's action): normalise the
     * {@value #GROUP} observations, one batched pass, then each env's action and log-probability; the observations
     * stay those of the last reset, no physics.
     */
    @Benchmark
    @OperationsPerInvocation(GROUP)
    public double lockstepPolicyOnly() {
        groupPass();
        double sum = 0;
        for (int i = 0; i < GROUP; i++) {
            sum += actor.actFromBlock(groupMu, i, actionNoise, groupAction[i]);
        }
        return sum;
    }

    /** The policy's share alone: normalise the current observation and sample an action, no physics. */
    @Benchmark
    public double[] policyOnly() {
        normalizer.normalize(observation, 0, z, 0);
        actor.sample(z, actionNoise, action);
        return action;
    }

    private double advance() {
        var s = env.step(action);
        observation = s.observation();
        if (++t == env.horizon()) {
            episode++;
            observation = env.reset(Seeds.derive(SEED, 6, episode));
            t = 0;
        }
        return s.reward();
    }
}
