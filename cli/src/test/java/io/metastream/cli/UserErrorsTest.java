package io.metastream.cli;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Ordinary mistakes end with one line and exit 1, never a stack trace. */
class UserErrorsTest {

    @Test
    void aBootstrapServerThatIsNoHostPortIsOneLine() {
        for (String servers : new String[] {"not a host", ""}) {
            String err = ContinuousExperimentFileTest.runCommand("topics", "--config", "../configs/pointnav-alg1.yaml",
                    "--bootstrap-servers", servers);
            assertThat(err).as("'%s'", servers).startsWith("metastream: invalid Kafka client setting: ")
                    .contains("check --bootstrap-servers").doesNotContain("\n", "\tat ");
        }
    }

    @Test
    void aCsvPathNamingADirectoryIsOneLine(@TempDir Path dir) {
        String err = ContinuousExperimentFileTest.runCommand("checkpoint", "inspect", "--file",
                "../experiments/halfcheetah-vel-alg1-lfb.ckpt", "--csv", dir.toString());
        assertThat(err).isEqualTo("metastream: cannot use " + dir + ": Is a directory");
    }

    @Test
    void aFencedTrainerSaysAnotherTrainerTookOver() {
        String line = MetastreamCommand.userError(new IllegalStateException("round 3",
                new KafkaException("commit failed", new ProducerFencedException("There is a newer producer with the same"
                        + " transactionalId which fences the current one."))));
        assertThat(line).startsWith("another trainer has taken over this experiment").doesNotContain("\n");
    }
}
