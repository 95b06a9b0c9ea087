package io.metastream.core.random;

import java.util.SplittableRandom;

/**
 * The one seeding scheme of the project: every random draw derives from the experiment seed and
 * a path such as (purpose, round, task, episode).
 *
 * <p>Derivation folds each path element into a 64-bit state with the SplitMix64 finaliser, so
 * {@code derive(s, 1, 2) != derive(s, 2, 1)} and nearby seeds give unrelated streams. The
 * generator is {@link SplittableRandom}, whose output is specified (SplitMix64) and therefore
 * identical on every JVM: a run replayed from its log draws the same numbers.
 */
public final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** Derives a child seed from {@code seed} and the path elements, in order. */
    public static long derive(long seed, long... path) {
        long h = mix(seed + GOLDEN);
        for (long p : path) {
            h = mix(h ^ mix(p + GOLDEN));
        }
        return h;
    }

    /** A generator seeded with {@link #derive(long, long...)}. */
    public static SplittableRandom rng(long seed, long... path) {
        return new SplittableRandom(derive(seed, path));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
