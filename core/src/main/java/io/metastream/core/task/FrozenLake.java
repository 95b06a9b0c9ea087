package io.metastream.core.task;

import io.metastream.core.env.StepResult;

/**
 * The Frozen Lake environment of {@link FrozenLakeMap}: integer states and actions, no
 * termination, truncation after {@link FrozenLakeMap#HORIZON} steps. Deterministic, so the reset
 * seed is accepted for the API's sake and otherwise unused.
 */
public final class FrozenLake implements TaskEnvironment<FrozenLakeMap, Integer, Integer> {

    private FrozenLakeMap map;
    private int state = -1;
    private int t;

    public FrozenLake(FrozenLakeMap map) {
        this.map = map;
    }

    @Override
    public Integer reset(long seed) {
        state = 0;
        t = 0;
        return state;
    }

    @Override
    public StepResult<Integer> step(Integer action) {
        return stepInt(action);
    }

    /** {@link #step(Integer)} without boxing, for the rollout loop. */
    public StepResult<Integer> stepInt(int action) {
        if (state < 0) {
            throw new IllegalStateException("step called before reset");
        }
        if (t >= FrozenLakeMap.HORIZON) {
            throw new IllegalStateException("episode already truncated after " + t + " steps; call reset");
        }
        int next = map.next(state, action);
        double reward = map.rewardOn(next);
        state = next;
        t++;
        return new StepResult<>(next, reward, false, t >= FrozenLakeMap.HORIZON);
    }

    @Override
    public void setTask(FrozenLakeMap task) {
        this.map = task;
        this.state = -1;
    }

    @Override
    public FrozenLakeMap getTask() {
        return map;
    }
}
