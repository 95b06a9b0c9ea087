package io.metastream.core.task;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A distribution P(Γ) over tasks, as in BO-MRL's meta-objective E_τ[J_τ(Alg(π_φ, λ, τ))].
 *
 * @param <T> the task description (a value type: equal tasks are the same MDP)
 */
public interface TaskFamily<T> {

    /** A short stable name, e.g. {@code frozenlake-high}. */
    String name();

    /**
     * Draws {@code n} training tasks using only {@code rng}. Finite families draw without
     * replacement (so {@code n} may not exceed their size).
     */
    List<T> sampleTasks(int n, RandomGenerator rng);

    /** The held-out tasks of the meta-test, in a fixed order. */
    List<T> testTasks();
}
