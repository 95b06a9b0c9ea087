package io.metastream.cli;

import io.metastream.cli.CapturedCommand.Result;
import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.streams.AdapterApp;
import io.metastream.trainer.ExperimentLog;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real checkpoint damaged at many positions (its header, its compressed blocks, its tail) or truncated is
 * refused by {@code checkpoint import} and {@code checkpoint inspect} with one line and exit code 1, before
 * any topic is created; a flip that leaves the content unchanged (a padding bit) reads as the original.
 * The intact file still imports, and the resumed run ends on the reference loop's meta-priors bit for bit.
 * Files of the previous format (no digest), such as the committed MuJoCo checkpoints, still read.
 */
@ExtendWith(SharedKafkaBroker.class)
class CheckpointIntegrityTest {

    @Test
    void damagedOrTruncatedCheckpointsAreRefusedBeforeAnythingIsCreated(EmbeddedKafkaBroker source, @TempDir Path dir)
            throws Exception {
        ExperimentFile ef = StoppableRuns.smallFrozenLake("integrity", 6, 0);
        String id = ef.experimentId();
        String a = source.bootstrapServers();
        ExperimentTopics.create(a, id, 3, (short) 1, Map.of());
        try (RolloutWorker w = RolloutWorker.start(WorkerConfig.of(id, "w", a));
             AdapterApp adapter = RunSession.adapter(ef, a, Map.of(), null).start();
             StreamingTrainer first = new StreamingTrainer(new TrainerConfig(id, a, ef.experiment(), Duration.ofMinutes(3), 0,
                     Map.of(), ef.canonicalText()))) {
            assertThatThrownBy(() -> first.run(r -> {
                if (r.round() == 1) {
                    throw new StoppableRuns.Stop();
                }
            }, n -> { })).isInstanceOf(StoppableRuns.Stop.class);
        }
        Path file = dir.resolve("exp.ckpt");
        Files.writeString(file, "an older file at the target path");
        assertThat(run("checkpoint", "export", "--experiment", id, "--file", file.toString(), "--bootstrap-servers", a).exit())
                .isZero();
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).as("no temporary file left")
                    .containsExactly("exp.ckpt");
        }
        byte[] intact = Files.readAllBytes(file);
        Result reference = run("checkpoint", "inspect", "--file", file.toString());
        assertThat(reference.exit()).as(reference.err()).isZero();

        try (EmbeddedKafkaBroker target = EmbeddedKafkaBroker.builder().build().start()) {
            String b = target.bootstrapServers();
            Set<String> topicsBefore = topics(b);
            int refused = 0;
            int unchanged = 0;
            List<Integer> positions = new ArrayList<>();
            for (int p = 0; p < Math.min(800, intact.length); p += 7) {   // the header: magic, metadata, sync marker
                positions.add(p);
            }
            for (int p = 800; p < intact.length; p += Math.max(1, intact.length / 150)) {   // the blocks
                positions.add(p);
            }
            for (int p = Math.max(0, intact.length - 40); p < intact.length; p++) {   // the tail: last block, sync
                positions.add(p);
            }
            Path damaged = dir.resolve("damaged.ckpt");
            for (int p : positions) {
                byte[] bytes = intact.clone();
                bytes[p] ^= (byte) (1 << (p % 8));
                Files.write(damaged, bytes);
                Result inspect = run("checkpoint", "inspect", "--file", damaged.toString());
                if (inspect.exit() == 0) {   // the flip did not change what the file holds
                    assertThat(inspect.out().replace(damaged.toString(), file.toString())).as("flip at %d", p)
                            .isEqualTo(reference.out());
                    unchanged++;
                    continue;
                }
                assertRefused(inspect, "inspect, flip at " + p);
                if (refused % 5 == 0) {
                    assertRefused(run("checkpoint", "import", "--file", damaged.toString(), "--bootstrap-servers", b),
                            "import, flip at " + p);
                }
                refused++;
            }
            assertThat(refused).as("flips refused of %d", positions.size()).isGreaterThan(positions.size() * 9 / 10);
            for (int length : new int[]{intact.length - 1, intact.length - 40, intact.length / 2, 100, 0}) {
                Files.write(damaged, Arrays.copyOf(intact, length));
                assertRefused(run("checkpoint", "inspect", "--file", damaged.toString()), "inspect, truncated to " + length);
                assertRefused(run("checkpoint", "import", "--file", damaged.toString(), "--bootstrap-servers", b),
                        "import, truncated to " + length);
            }
            assertThat(topics(b)).as("no damaged file created a topic").isEqualTo(topicsBefore);
            System.out.printf("checkpoint of %d bytes: %d flips refused, %d left the content unchanged, 5 truncations refused%n",
                    intact.length, refused, unchanged);

            // the intact file still imports and the experiment resumes there to the reference loop's meta-priors
            Result imported = run("checkpoint", "import", "--file", file.toString(), "--bootstrap-servers", b);
            assertThat(imported.exit()).as(imported.err()).isZero();
            try (RolloutWorker w = RolloutWorker.start(WorkerConfig.of(id, "w", b));
                 AdapterApp adapter = RunSession.adapter(ef, b, Map.of(), null).start();
                 StreamingTrainer second = new StreamingTrainer(new TrainerConfig(id, b, ef.experiment(), Duration.ofMinutes(3),
                         0, Map.of(), ef.canonicalText()))) {
                second.run(r -> { }, n -> { });
            }
            StoppableRuns.assertPriorsMatchReference(ExperimentLog.read(b, Map.of(), id), ef, 2);
        }
    }

    /** The committed MuJoCo checkpoints are format 1 (no digest): every record still decodes and they read. */
    @Test
    void checkpointsOfThePreviousFormatStillRead() {
        Result r = run("checkpoint", "inspect", "--file", "../experiments/halfcheetah-vel-alg1-lfb.ckpt");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("checkpoint ../experiments/halfcheetah-vel-alg1-lfb.ckpt of halfcheetah-vel-alg1-lfb: "
                + "500 meta-iterations done, 51 meta-prior versions, 501 control, 500 metrics");
    }

    private static void assertRefused(Result r, String what) {
        assertThat(r.exit()).as("%s: %s", what, r.out()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).as(what).hasSize(1);
        assertThat(r.err()).as(what).startsWith("metastream: ").doesNotContain("\tat ", "Exception in thread");
    }

    private static Set<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get();
        }
    }

    private static Result run(String... args) {
        return CapturedCommand.run(args);
    }
}
