package io.metastream.cli;

import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stop requested during the in-process meta-test (SIGTERM in {@code run}) ends it after the test
 * task in progress, with progress printed up to there and no result file written.
 */
class ContinuousResultsStopTest {

    @TempDir
    Path dir;

    @Test
    void aStopRequestEndsTheMetaTestAfterTheCurrentTaskWithoutWritingResults() {
        ContinuousExperimentFile cf = (ContinuousExperimentFile) RunConfig.load(Path.of("../configs/pointnav-alg1.yaml"),
                List.of("eval-episodes=2", "test-steps=1"));
        ContinuousExperimentConfig exp = cf.experiment();
        ContinuousBoMrl bomrl = new ContinuousBoMrl(exp, cf.family().obsDim(), cf.family().actDim());
        int tasks = cf.family().testTasks().size();
        AtomicInteger polls = new AtomicInteger();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ContinuousResults.write(cf, bomrl.initialPhi(), RunningMoments.empty(cf.family().obsDim()),
                dir, out, TreeMap::new, () -> polls.incrementAndGet() >= 3))
                .isInstanceOf(ContinuousResults.Stopped.class);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(polls.get()).as("polled once per finished task, and the third poll stopped it").isEqualTo(3);
        assertThat(printed).contains("meta-test bomrl: test task 3/" + tasks + " done")
                .doesNotContain("test task 4/" + tasks).doesNotContain("random-init");
        assertThat(dir.resolve("meta-test.csv")).doesNotExist();
        assertThat(dir.resolve("adaptation.png")).doesNotExist();
    }
}
