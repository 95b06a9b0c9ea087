package io.metastream.mujoco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs with or without MuJoCo: the loader's failure path and its advice. */
class MujocoNativeLoaderTest {

    @Test
    void missingLibraryGivesInstallAdvice() {
        MujocoNative.LoadResult r = MujocoNative.tryLoad(Path.of("/nonexistent/dir/libmetastream_mujoco.so"));
        assertThat(r.available()).isFalse();
        assertThatThrownBy(r::requireAvailable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y libmujoco-dev")
                .hasMessageContaining("/nonexistent/dir/libmetastream_mujoco.so");
    }

    @Test
    void globalStatusIsConsistent() {
        if (MujocoNative.isAvailable()) {
            MujocoNative.requireAvailable();
            assertThat(MujocoNative.status()).startsWith("loaded");
        } else {
            assertThatThrownBy(MujocoNative::requireAvailable)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("libmujoco-dev");
        }
    }
}
