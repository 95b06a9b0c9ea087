package io.metastream.schemas;

/**
 * The experiment's topics (ARCHITECTURE.md): every name is {@code <experimentId>.<suffix>}. The
 * suffixes are defined here once; every module builds names through {@link #of}.
 */
public enum Topics {
    /** RolloutAssignment keyed by task id; consumed by the worker group. */
    ASSIGNMENTS("assignments"),
    /** PolicyParams keyed by policy id; compacted. */
    POLICIES("policies"),
    /** Trajectory keyed by task id; one episode per record. */
    TRAJECTORIES("trajectories"),
    /** TaskMetaGradient keyed by task id. */
    META_GRADIENTS("meta-gradients"),
    /** MetricsRecord keyed by experiment id. */
    METRICS("metrics"),
    /** ControlRecord keyed by experiment id. */
    CONTROL("control"),
    /** DeadLetter keyed by the original key. */
    DEAD_LETTERS("dead-letters");

    private final String suffix;

    Topics(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** The topic name of this kind for {@code experimentId}, e.g. {@code frozenlake-high.trajectories}. */
    public String of(String experimentId) {
        if (experimentId == null || !experimentId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("experiment id must match [A-Za-z0-9._-]+, got '" + experimentId + "'");
        }
        return experimentId + "." + suffix;
    }
}
