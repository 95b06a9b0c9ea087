package io.metastream.core.task;

import java.util.List;

/**
 * A task family with continuous observations and actions (BOMRL.md §Setup, Gaussian MLP policies):
 * point navigation here, the MuJoCo locomotion families in the {@code mujoco} module.
 *
 * <p>Environments returned by {@link #newEnvironment} are owned by the caller: when one also
 * implements {@link AutoCloseable} (the MuJoCo ones hold native memory) the caller must close it,
 * e.g. with {@link #close(TaskEnvironment)} once its rollouts are done.
 *
 * @param <T> the task description (a value type: equal tasks are the same MDP)
 */
public interface ContinuousTaskFamily<T> extends TaskFamily<T> {

    /** Length of an observation vector. */
    int obsDim();

    /** Length of an action vector. */
    int actDim();

    /** The family's episode length (e.g. 100 for point navigation, 200 for locomotion). */
    int defaultHorizon();

    /**
     * A new environment for {@code task} whose episodes are truncated after {@code horizon} steps
     * (a rollout with a continuation of C steps asks for H + C). Close it if it is {@link AutoCloseable}.
     */
    TaskEnvironment<T, double[], double[]> newEnvironment(T task, int horizon);

    /** The task as a self-describing string ({@code family:parameters}); {@link #parse} inverts it exactly. */
    String spec(T task);

    /** The task of a {@link #spec} string; throws IllegalArgumentException naming the bad input. */
    T parse(String spec);

    /** Held-out tasks for selecting the best meta-prior during training, in a fixed order. */
    List<T> validationTasks();

    /** Closes {@code env} if it holds resources ({@link AutoCloseable}); a failure to close is rethrown unchecked. */
    static void close(TaskEnvironment<?, ?, ?> env) {
        if (env instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing environment " + env + " failed", e);
            }
        }
    }
}
