package io.metastream.core.meta;

/**
 * The kind of experiment a role runs: tabular (Frozen Lake, softmax policies, Adam on φ) or
 * continuous (point navigation and MuJoCo, Gaussian MLP policies, TRPO on φ). The Kafka-side
 * configurations hold one of these and dispatch on its type; the common settings below are what
 * every role may read without knowing the kind.
 */
public sealed interface MetaExperiment permits TabularExperimentConfig, ContinuousExperimentConfig {

    /** Task family name, e.g. {@code frozenlake-high} or {@code pointnav}. */
    String family();

    /** Meta-training iterations. */
    int iterations();

    /** Tasks per meta-batch. */
    int tasksPerIteration();

    /** Adaptation steps of the meta-test. */
    int testSteps();

    /** The experiment seed every random draw derives from. */
    long seed();
}
