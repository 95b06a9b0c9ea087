package io.metastream.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.Test;

class JvmExitGuardTest {

    /** Were the guard missing, this test would end the test JVM instead of failing. */
    @Test
    void kafkaFatalFaultsThrowInsteadOfEndingTheJvm() {
        JvmExitGuard.install();
        assertThatThrownBy(() -> Exit.halt(1, "fatal fault"))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("halt with status 1");
        assertThatThrownBy(() -> Exit.exit(1))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("exit with status 1");
    }
}
