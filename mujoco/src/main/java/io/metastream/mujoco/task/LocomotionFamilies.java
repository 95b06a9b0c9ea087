package io.metastream.mujoco.task;

import io.metastream.core.task.TaskFamily;
import java.util.List;

/** Name lookup of the four locomotion families. */
public final class LocomotionFamilies {

    /** halfcheetah-vel, halfcheetah-dir, ant-vel, ant-dir. */
    public static final List<String> NAMES = List.of("halfcheetah-vel", "halfcheetah-dir", "ant-vel", "ant-dir");

    private LocomotionFamilies() {
    }

    /** Resolves a family name from {@link #NAMES}. */
    public static TaskFamily<?> byName(String name) {
        return switch (name) {
            case "halfcheetah-vel" -> VelocityFamily.halfCheetahVel();
            case "halfcheetah-dir" -> DirectionFamily.halfCheetahDir();
            case "ant-vel" -> VelocityFamily.antVel();
            case "ant-dir" -> DirectionFamily.antDir();
            default -> throw new IllegalArgumentException("unknown locomotion family '" + name + "' (expected one of "
                    + NAMES + ")");
        };
    }
}
