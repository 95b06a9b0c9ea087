package io.metastream.core.task;

/**
 * The two published Frozen Lake task families (EXPERIMENTS.md).
 *
 * <ul>
 *   <li>{@link #HIGH}: 'H' tiles are holes: absorbing, reward −1 on every step spent there, so
 *       the maps change the dynamics;</li>
 *   <li>{@link #LOW}: dynamics are always hole-free; 'H' tiles only cost −0.5 when entered.</li>
 * </ul>
 * 'G' is absorbing with reward +1 per step in both.
 */
public enum FrozenLakeVariance {
    HIGH(-1.0, true),
    LOW(-0.5, false);

    private final double hazardReward;
    private final boolean hazardAbsorbing;

    FrozenLakeVariance(double hazardReward, boolean hazardAbsorbing) {
        this.hazardReward = hazardReward;
        this.hazardAbsorbing = hazardAbsorbing;
    }

    /** Reward for arriving on an 'H' tile. */
    public double hazardReward() {
        return hazardReward;
    }

    /** Whether 'H' tiles trap the agent. */
    public boolean hazardAbsorbing() {
        return hazardAbsorbing;
    }
}
