package io.metastream.mujoco;

import java.util.SplittableRandom;

/**
 * One MuJoCo simulation ({@code mjData}) on a shared {@link MujocoModel}: reset with seeded noise,
 * then one JNI call per step (controls in, {@code frameSkip} physics steps in C, state out).
 *
 * <p>Not thread-safe: use one env per thread. Observations are
 * {@code qpos[excludedRootCoordinates..nq) ++ qvel}.
 */
public final class MujocoEnv implements AutoCloseable {

    /** The gym-like default: 5 physics steps of 0.01 s per env step (dt 0.05). */
    public static final int DEFAULT_FRAME_SKIP = 5;
    /** Default reset noise: qpos += U(−0.1, 0.1), qvel += 0.1·N(0, 1). */
    public static final double DEFAULT_RESET_NOISE = 0.1;

    private final MujocoModel model;
    private final long modelHandle;
    private final int frameSkip;
    private final int excludedRoot;
    private final double resetNoise;
    private final double dt;
    private final double[] qpos;
    private final double[] qvel;
    private final double[] qposNoise;
    private final double[] qvelNoise;
    private long data;

    /**
     * @param model                   the (shared) model
     * @param frameSkip               physics steps per env step
     * @param excludedRootCoordinates leading qpos entries left out of the observation (1 for the
     *                                half-cheetah's root x, 2 for the ant's root x and y)
     * @param resetNoise              scale of the reset noise (0 for none)
     */
    public MujocoEnv(MujocoModel model, int frameSkip, int excludedRootCoordinates, double resetNoise) {
        if (frameSkip < 1) {
            throw new IllegalArgumentException("frameSkip must be >= 1");
        }
        if (excludedRootCoordinates < 0 || excludedRootCoordinates > model.nq()) {
            throw new IllegalArgumentException("bad excludedRootCoordinates " + excludedRootCoordinates);
        }
        this.model = model;
        this.frameSkip = frameSkip;
        this.excludedRoot = excludedRootCoordinates;
        this.resetNoise = resetNoise;
        this.dt = model.timestep() * frameSkip;
        this.qpos = new double[model.nq()];
        this.qvel = new double[model.nv()];
        this.qposNoise = new double[model.nq()];
        this.qvelNoise = new double[model.nv()];
        this.modelHandle = model.acquire();
        try {
            this.data = MujocoNative.makeData(modelHandle);
        } catch (RuntimeException e) {
            model.release();
            throw e;
        }
    }

    public MujocoModel model() {
        return model;
    }

    /** Seconds of simulated time per env step. */
    public double dt() {
        return dt;
    }

    public int frameSkip() {
        return frameSkip;
    }

    /** Length of the observation vector. */
    public int observationSize() {
        return model.nq() - excludedRoot + model.nv();
    }

    /** Number of controls. */
    public int actionSize() {
        return model.nu();
    }

    /** Resets to the model's default pose plus noise drawn from {@code seed}; returns the observation. */
    public double[] reset(long seed) {
        ensureOpen();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < qposNoise.length; i++) {
            qposNoise[i] = resetNoise == 0 ? 0 : rng.nextDouble(-resetNoise, resetNoise);
        }
        for (int i = 0; i < qvelNoise.length; i++) {
            qvelNoise[i] = resetNoise == 0 ? 0 : resetNoise * gaussian(rng);
        }
        MujocoNative.reset(modelHandle, data, qposNoise, qvelNoise, qpos, qvel);
        return observation();
    }

    /** Applies {@code action} as ctrl for {@code frameSkip} physics steps. */
    public MujocoStep step(double[] action) {
        ensureOpen();
        if (action.length != model.nu()) {
            throw new IllegalArgumentException("action has " + action.length + " entries, model has nu=" + model.nu());
        }
        double x0 = qpos[0];
        int flags = MujocoNative.step(modelHandle, data, action, frameSkip, qpos, qvel);
        double vx = (qpos[0] - x0) / dt;
        return new MujocoStep(observation(), vx, flags);
    }

    /**
     * Benchmark helper: {@code n} raw mj_step calls with pseudo-random controls in [−1, 1), the
     * loop running in C; leaves the env in an arbitrary state (reset afterwards). Returns the
     * simulated time.
     */
    public double benchmarkRawSteps(int n) {
        ensureOpen();
        return MujocoNative.benchmarkSteps(modelHandle, data, n);
    }

    /** A copy of the current qpos. */
    public double[] qpos() {
        return qpos.clone();
    }

    /** A copy of the current qvel. */
    public double[] qvel() {
        return qvel.clone();
    }

    private double[] observation() {
        double[] obs = new double[observationSize()];
        int n = qpos.length - excludedRoot;
        System.arraycopy(qpos, excludedRoot, obs, 0, n);
        System.arraycopy(qvel, 0, obs, n, qvel.length);
        return obs;
    }

    private void ensureOpen() {
        if (data == 0) {
            throw new IllegalStateException("env is closed");
        }
    }

    /** Box–Muller from the env's own stream (SplittableRandom has no nextGaussian contract across JDKs). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    @Override
    public void close() {
        if (data != 0) {
            MujocoNative.freeData(data);
            data = 0;
            model.release();
        }
    }
}
