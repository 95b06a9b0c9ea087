package io.metastream.mujoco.task;

/** A running direction d ∈ {−1, +1} along the x axis. */
public record DirectionTask(int direction) {

    public static final DirectionTask BACKWARD = new DirectionTask(-1);
    public static final DirectionTask FORWARD = new DirectionTask(1);

    public DirectionTask {
        if (direction != -1 && direction != 1) {
            throw new IllegalArgumentException("direction must be -1 or +1, got " + direction);
        }
    }
}
