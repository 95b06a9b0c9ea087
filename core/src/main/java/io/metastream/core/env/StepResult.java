package io.metastream.core.env;

/**
 * The outcome of one environment step (Gymnasium's {@code (obs, reward, terminated, truncated)}).
 *
 * @param observation the observation after the step
 * @param reward      the reward of the transition
 * @param terminated  the MDP reached a terminal state
 * @param truncated   the episode was cut by the time limit
 */
public record StepResult<O>(O observation, double reward, boolean terminated, boolean truncated) {

    /** True when the episode is over for either reason. */
    public boolean done() {
        return terminated || truncated;
    }
}
