package io.metastream.mujoco.bench;

import io.metastream.mujoco.MujocoEnv;
import io.metastream.mujoco.MujocoModel;
import io.metastream.mujoco.MujocoNative;
import io.metastream.mujoco.MujocoStep;
import java.util.SplittableRandom;

/**
 * Single-thread physics throughput with uniform random actions in [−1, 1):
 * raw {@code mj_step}/s (loop entirely in C) and env steps/s through JNI (frame skip 5, one JNI
 * call per env step, observation copied out). Usage:
 * {@code java -cp <classpath> io.metastream.mujoco.bench.PhysicsBenchmark [seconds-per-measurement]}.
 */
public final class PhysicsBenchmark {

    private PhysicsBenchmark() {
    }

    public static void main(String[] args) {
        MujocoNative.requireAvailable();
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        System.out.println("MuJoCo " + MujocoNative.version() + " physics benchmark, one thread; " + MujocoNative.status());
        for (String model : new String[] {MujocoModel.HALF_CHEETAH, MujocoModel.ANT}) {
            int excluded = model.equals(MujocoModel.ANT) ? 2 : 1;
            try (MujocoEnv env = new MujocoEnv(MujocoModel.shared(model), MujocoEnv.DEFAULT_FRAME_SKIP, excluded,
                    MujocoEnv.DEFAULT_RESET_NOISE)) {
                rawSteps(env, 0.5); // warm-up
                double raw = rawSteps(env, seconds);
                envSteps(env, 0.5); // warm-up (JIT)
                double[] jni = envSteps(env, seconds);
                System.out.printf("%-17s raw mj_step/s (C loop): %,.0f | env steps/s via JNI (frame skip 5): %,.0f"
                        + " (= %,.0f mj_step/s; %d flagged steps)%n", model, raw, jni[0], jni[0] * 5, (long) jni[1]);
            }
        }
    }

    private static double rawSteps(MujocoEnv env, double seconds) {
        env.reset(1);
        long chunk = 10_000;
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            if (n % 200_000 == 0) {
                env.reset(n);
            }
            env.benchmarkRawSteps((int) chunk);
            n += chunk;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double[] envSteps(MujocoEnv env, double seconds) {
        SplittableRandom rng = new SplittableRandom(7);
        double[] a = new double[env.actionSize()];
        long n = 0;
        long flagged = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        env.reset(0);
        while (System.nanoTime() < end) {
            for (int k = 0; k < 200; k++) { // one 200-step episode
                for (int i = 0; i < a.length; i++) {
                    a[i] = rng.nextDouble(-1, 1);
                }
                MujocoStep s = env.step(a);
                if (s.unstable()) {
                    flagged++;
                }
            }
            n += 200;
            env.reset(n);
        }
        return new double[] {n / ((System.nanoTime() - t0) / 1e9), flagged};
    }
}
