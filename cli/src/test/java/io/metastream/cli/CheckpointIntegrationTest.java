package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.schemas.Topics;
import io.metastream.streams.AdapterApp;
import io.metastream.trainer.ExperimentCheckpoint;
import io.metastream.trainer.ExperimentLog;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An experiment stopped after two rounds on one cluster, checkpointed to a file (thinned to every
 * second meta-prior version, which must still keep the versions in-flight rounds run on) and imported into
 * a fresh cluster, resumes there at round 3 and ends with the meta-prior sequence of an
 * uninterrupted run (the in-process reference loop) bit for bit — synchronously, and
 * asynchronously with rounds in flight at the checkpoint. A second import, and a replay of the
 * imported log, are refused with one-line reasons.
 */
@ExtendWith(SharedKafkaBroker.class)
class CheckpointIntegrationTest {


    @Test
    void aCheckpointResumesOnAFreshClusterExactly(EmbeddedKafkaBroker source, @TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker target = EmbeddedKafkaBroker.builder().build().start()) {
            for (int maxStaleness : new int[]{0, 2}) {
                ExperimentFile ef = StoppableRuns.smallFrozenLake("checkpoint", 4, maxStaleness);
                String id = ef.experimentId();
                List<Integer> rounds = new ArrayList<>();

                String a = source.bootstrapServers();
                ExperimentTopics.create(a, id, 3, (short) 1, Map.of());
                try (RolloutWorker w = RolloutWorker.start(WorkerConfig.of(id, "w", a));
                     AdapterApp adapter = RunSession.adapter(ef, a, Map.of(), null).start();
                     StreamingTrainer first = new StreamingTrainer(config(ef, a, maxStaleness))) {
                    assertThatThrownBy(() -> first.run(r -> {
                        rounds.add(r.round());
                        if (r.round() == 1) {
                            throw new StoppableRuns.Stop();
                        }
                    }, n -> { })).isInstanceOf(StoppableRuns.Stop.class);
                }
                ExperimentCheckpoint.Summary full = ExperimentCheckpoint.export(a, Map.of(), id, dir.resolve(id + ".full"));
                assertThat(full.priorVersions()).isEqualTo(3);   // v0, v1, v2
                assertThat(full.droppedPriorVersions()).isZero();
                // thinned to every 2nd version: v1 stays behind when synchronous, but not when round 3 is in flight on it
                Path file = dir.resolve(id + ".checkpoint");
                ExperimentCheckpoint.Summary exported = ExperimentCheckpoint.export(a, Map.of(), id, file, 2);
                assertThat(exported.roundsDone()).isEqualTo(2);
                assertThat(exported.priorVersions()).isEqualTo(maxStaleness == 0 ? 2 : 3);
                assertThat(exported.droppedPriorVersions()).isEqualTo(maxStaleness == 0 ? 1 : 0);
                assertThat(exported.partitions()).isEqualTo(3);
                assertThat(exported.recordsByTopic()).isEqualTo(maxStaleness == 0
                        ? withPolicies(full.recordsByTopic(), 2) : full.recordsByTopic());
                // the PRE assignments issued and not yet decided: round 3, and rounds 4..5 when asynchronous
                assertThat(exported.recordsByTopic().get(Topics.ASSIGNMENTS)).isEqualTo((1 + maxStaleness) * 2);

                // the file read back without a cluster: same counts, and the kept versions exactly as in the source log
                ExperimentCheckpoint.Contents contents = ExperimentCheckpoint.read(file);
                assertThat(contents.summary().recordsByTopic()).isEqualTo(exported.recordsByTopic());
                assertThat(contents.summary().roundsDone()).isEqualTo(2);
                assertThat(contents.keepEvery()).isEqualTo(2);
                ExperimentLog sourceLog = ExperimentLog.read(a, Map.of(), id);
                assertThat(contents.priors()).extracting(p -> p.getVersion())
                        .containsExactlyElementsOf(maxStaleness == 0 ? List.of(0L, 2L) : List.of(0L, 1L, 2L));
                for (io.metastream.schemas.PolicyParams p : contents.priors()) {
                    assertThat(p).as("v%d", p.getVersion()).isEqualTo(sourceLog.priors().get(p.getVersion()));
                }

                String b = target.bootstrapServers();
                ExperimentCheckpoint.Summary imported = ExperimentCheckpoint.importInto(b, Map.of(), file, (short) 1);
                assertThat(imported.recordsByTopic()).isEqualTo(exported.recordsByTopic());
                assertThatThrownBy(() -> ExperimentCheckpoint.importInto(b, Map.of(), file, (short) 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists on " + b);

                List<String> notes = new ArrayList<>();
                List<ExperimentCheckpoint.Summary> whileRunning = new java.util.concurrent.CopyOnWriteArrayList<>();
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
                Thread exporter = new Thread(() -> {
                    // checkpoints of the running experiment, each of which must be one consistent state
                    try {
                        for (int i = 0; !done.get(); i++) {
                            whileRunning.add(ExperimentCheckpoint.export(b, Map.of(), id, dir.resolve(id + ".running-" + (i % 2))));
                        }
                    } catch (Throwable t) {
                        failed.set(t);
                    }
                }, "exporter");
                try (RolloutWorker w = RolloutWorker.start(WorkerConfig.of(id, "w", b));
                     AdapterApp adapter = RunSession.adapter(ef, b, Map.of(), null).start();
                     StreamingTrainer second = new StreamingTrainer(config(ef, b, maxStaleness))) {
                    exporter.start();
                    second.run(r -> rounds.add(r.round()), notes::add);
                } finally {
                    done.set(true);
                    exporter.join();
                }
                assertThat(failed.get()).as("export while running").isNull();
                assertThat(whileRunning).as("exports while running").isNotEmpty();
                int thinnedAway = maxStaleness == 0 ? 1 : 0;   // v1, left behind by the import above
                for (ExperimentCheckpoint.Summary s : whileRunning) {
                    int n = s.roundsDone();   // the manifest and one decision, one metrics record and one new prior per round
                    assertThat(s.recordsByTopic().get(Topics.CONTROL)).as("control of %d rounds", n).isEqualTo(1 + n);
                    assertThat(s.recordsByTopic().get(Topics.METRICS)).as("metrics of %d rounds", n).isEqualTo(n);
                    assertThat(s.priorVersions()).as("meta-prior versions of %d rounds", n).isEqualTo(1 + n - thinnedAway);
                }
                assertThat(rounds).as("max-staleness %d", maxStaleness).containsExactly(0, 1, 2, 3, 4);
                assertThat(notes.get(0)).startsWith("resuming experiment " + id + " at round 3 of 5 from meta-prior v2");

                ExperimentLog log = ExperimentLog.read(b, Map.of(), id);
                assertThat(log.decisions()).hasSize(5);
                assertThat(log.preAssignments()).as("no PRE assignment issued twice").hasSize(3 * 2);   // rounds 3..5, imported or issued after the import
                if (maxStaleness == 0) {
                    assertThat(log.priors()).doesNotContainKey(1L);
                    StoppableRuns.assertPriorsMatchReference(log, ef, 2);
                } else {
                    StoppableRuns.assertStoppedAsyncVersions(log);   // the rounds in flight at the checkpoint included
                }
                assertThat(ExperimentCheckpoint.importedThroughRound(b, Map.of(), id)).hasValue(1);
                assertThat(ExperimentCheckpoint.importedThroughRound(a, Map.of(), id)).isEmpty();
                assertThatThrownBy(() -> Replay.run(b, Map.of(), id, id + "-replay", new PrintStream(new ByteArrayOutputStream())))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("imported from a checkpoint taken after round 2");
            }
        }
    }

    @Test
    void exportOfAnUnknownExperimentAndImportOfAMissingFileAreUserErrors(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws java.io.IOException {
        String b = broker.bootstrapServers();
        assertThat(MetastreamCommand.userError(new IllegalArgumentException("x"))).isEqualTo("x");
        assertThatThrownBy(() -> ExperimentCheckpoint.export(b, Map.of(), SharedKafkaBroker.uniqueName("nothing"),
                dir.resolve("c"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to checkpoint");
        assertThatThrownBy(() -> ExperimentCheckpoint.importInto(b, Map.of(), dir.resolve("missing"), (short) 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ExperimentCheckpoint.read(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        Path notACheckpoint = dir.resolve("progress.csv");
        java.nio.file.Files.writeString(notACheckpoint, "round,version\n0,1\n");
        assertThatThrownBy(() -> ExperimentCheckpoint.read(notACheckpoint))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a metastream checkpoint");
        assertThatThrownBy(() -> ExperimentCheckpoint.importInto(b, Map.of(), notACheckpoint, (short) 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a metastream checkpoint");
        assertThatThrownBy(() -> ExperimentCheckpoint.export(b, Map.of(), "x", dir.resolve("c"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keep-every must be at least 1");
    }

    private static Map<Topics, Integer> withPolicies(Map<Topics, Integer> counts, int policies) {
        Map<Topics, Integer> m = new java.util.EnumMap<>(counts);
        m.put(Topics.POLICIES, policies);
        return m;
    }

    private static TrainerConfig config(ExperimentFile ef, String bootstrap, int maxStaleness) {
        return new TrainerConfig(ef.experimentId(), bootstrap, ef.experiment(), Duration.ofMinutes(3), maxStaleness, Map.of(),
                ef.canonicalText());
    }
}
