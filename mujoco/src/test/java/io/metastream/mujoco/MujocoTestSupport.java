package io.metastream.mujoco;

import org.junit.jupiter.api.Assumptions;

public final class MujocoTestSupport {

    private MujocoTestSupport() {
    }

    /** Skips the calling test unless the JNI shim and libmujoco loaded. */
    public static void assumeMujoco() {
        Assumptions.assumeTrue(MujocoNative.isAvailable(),
                "libmujoco-dev not installed (or the JNI shim was not built): " + MujocoNative.status()
                        + " -- run `apt-get install -y libmujoco-dev` and rebuild the mujoco module");
    }
}
