package io.metastream.mujoco.task;

import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.mujoco.MujocoNative;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of every continuous task family: core's point navigation and the four MuJoCo
 * locomotion families ({@link LocomotionFamilies}). Rollout workers and the trainer resolve a family
 * from the experiment's {@code family} name or from a task spec's {@code family:} prefix.
 *
 * <p>A locomotion family is only handed out when the MuJoCo physics loaded; otherwise the lookup
 * fails with {@link MujocoNative#requireAvailable()}'s message, which says how to install
 * {@code libmujoco-dev}. Point navigation needs nothing.
 */
public final class ContinuousFamilies {

    /** pointnav, halfcheetah-vel, halfcheetah-dir, ant-vel, ant-dir. */
    public static final List<String> NAMES = names();

    private ContinuousFamilies() {
    }

    /** Whether {@code name} is a continuous family of this registry. */
    public static boolean isContinuous(String name) {
        return NAMES.contains(name);
    }

    /**
     * The family called {@code name}.
     *
     * @throws IllegalArgumentException naming the known families when there is none of that name
     * @throws IllegalStateException    with installation advice for a MuJoCo family without MuJoCo
     */
    public static ContinuousTaskFamily<?> byName(String name) {
        return byName(name, MujocoNative::requireAvailable);
    }

    /** The family of a task spec {@code family:parameters} (the spec itself is not parsed here). */
    public static ContinuousTaskFamily<?> forSpec(String taskSpec) {
        int colon = taskSpec == null ? -1 : taskSpec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("task spec '" + taskSpec + "' has no 'family:' prefix (known continuous "
                    + "families: " + String.join(", ", NAMES) + ")");
        }
        return byName(taskSpec.substring(0, colon));
    }

    /** {@link #byName(String)} with the physics check given (tests simulate a machine without MuJoCo). */
    static ContinuousTaskFamily<?> byName(String name, Runnable requirePhysics) {
        if (PointNavigationFamily.NAME.equals(name)) {
            return new PointNavigationFamily();
        }
        if (!LocomotionFamilies.NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown continuous task family '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        }
        requirePhysics.run();
        return (ContinuousTaskFamily<?>) LocomotionFamilies.byName(name);
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        out.add(PointNavigationFamily.NAME);
        out.addAll(LocomotionFamilies.NAMES);
        return List.copyOf(out);
    }
}
