package io.metastream.core.random;

/**
 * What a random stream is used for: the first element of every derivation path, so that the
 * task sampler, the PRE/POST collections and the meta-test never share a stream. The codes are
 * part of the log format (a replay must derive the same seeds): never renumber them.
 */
public enum Purpose {
    TASK_SAMPLING(1),
    PRE(2),
    POST(3),
    EVAL(4),
    BASELINE_RANDOM_INIT(5),
    BASELINE_POLICY_GRADIENT(6),
    MAP_GENERATION(7),
    /** The initial parameters φ₀ of a continuous policy (Glorot draws). */
    POLICY_INIT(8),
    /** The rollouts of φ₀ that warm the observation normaliser before iteration 0 (their tasks and episodes). */
    NORMALIZER_WARMUP(9);

    private final long code;

    Purpose(long code) {
        this.code = code;
    }

    /** The stable numeric code used in seed derivations. */
    public long code() {
        return code;
    }
}
