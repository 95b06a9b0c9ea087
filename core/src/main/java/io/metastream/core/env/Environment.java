package io.metastream.core.env;

/**
 * An episodic environment in the Gymnasium spirit.
 *
 * <p>{@link #reset(long)} starts an episode from a seed (the only source of randomness of the
 * environment) and returns the first observation; {@link #step(Object)} applies an action and
 * returns the next observation, the reward, and whether the episode terminated (an absorbing end
 * of the MDP) or was truncated (the horizon was reached). Calling {@code step} after either flag
 * was set is an error.
 *
 * @param <O> observation type
 * @param <A> action type
 */
public interface Environment<O, A> {

    /** Starts a new episode; the same seed gives the same episode for the same actions. */
    O reset(long seed);

    /** Applies {@code action} and advances one time step. */
    StepResult<O> step(A action);
}
