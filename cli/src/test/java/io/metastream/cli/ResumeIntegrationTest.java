package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.streams.AdapterApp;
import io.metastream.trainer.CodeVersion;
import io.metastream.trainer.ExperimentLog;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A trainer that stops after some rounds is resumed by the next trainer of the same experiment
 * from the latest meta-prior in {@code policies} and the learner state recorded with the last
 * decision in {@code control}: the meta-prior sequence equals an uninterrupted run's (the
 * in-process reference loop) bit for bit; a trainer with another configuration is refused.
 * (Killing the trainer's JVM outright is {@code FaultInjectionIntegrationTest}'s.)
 */
@ExtendWith(SharedKafkaBroker.class)
class ResumeIntegrationTest {


    @Test
    void aStoppedTrainerIsResumedExactlyAndAForeignConfigIsRefused(EmbeddedKafkaBroker broker) throws Exception {
        for (int maxStaleness : new int[]{0, 2}) {
            ExperimentFile ef = StoppableRuns.smallFrozenLake("resume", 9, maxStaleness);
            String id = ef.experimentId();
            String bootstrap = broker.bootstrapServers();
            ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
            TrainerConfig tc = new TrainerConfig(id, bootstrap, ef.experiment(), Duration.ofMinutes(3), maxStaleness, Map.of(),
                    ef.canonicalText());
            List<String> notes = new ArrayList<>();
            List<Integer> rounds = new ArrayList<>();
            try (RolloutWorker w = RolloutWorker.start(WorkerConfig.of(id, "w", bootstrap));
                 AdapterApp adapter = RunSession.adapter(ef, bootstrap, Map.of(), null).start()) {
                System.setProperty(CodeVersion.PROPERTY, "test-A");
                try (StreamingTrainer first = new StreamingTrainer(tc)) {
                    assertThatThrownBy(() -> first.run(r -> {
                        rounds.add(r.round());
                        if (r.round() == 1) {
                            throw new StoppableRuns.Stop();
                        }
                    }, notes::add)).isInstanceOf(StoppableRuns.Stop.class);
                }
                System.setProperty(CodeVersion.PROPERTY, "test-B");   // a resumed run on other code says so
                try (StreamingTrainer second = new StreamingTrainer(tc)) {
                    second.run(r -> rounds.add(r.round()), notes::add);
                }
                try (StreamingTrainer done = new StreamingTrainer(tc)) {
                    done.run(r -> rounds.add(r.round()), notes::add);
                }
                ExperimentFile other = ExperimentFile.parse(ef.canonicalText(), "test", List.of("lambda-train=3.5"));
                try (StreamingTrainer foreign = new StreamingTrainer(new TrainerConfig(id, bootstrap, other.experiment(),
                        Duration.ofMinutes(3), maxStaleness, Map.of(), other.canonicalText()))) {
                    assertThatThrownBy(() -> foreign.run(r -> { }, notes::add)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("already exists with a different configuration")
                            .hasMessageContaining("lambda-train: 3.5");
                }
            }
            System.clearProperty(CodeVersion.PROPERTY);
            assertThat(rounds).as("max-staleness %d", maxStaleness).containsExactly(0, 1, 2, 3, 4);
            assertThat(notes).as("max-staleness %d", maxStaleness).hasSize(4);
            assertThat(notes.get(0)).startsWith("starting experiment " + id);
            assertThat(notes.get(1)).startsWith("resuming experiment " + id + " at round 3 of 5 from meta-prior v2");
            assertThat(notes.get(2)).isEqualTo("note: experiment " + id + " was started by code version test-A and is resumed"
                    + " by test-B; rounds from 3 on are computed by the latter (bit-identical replays hold per code version)");
            assertThat(notes.get(3)).contains("already completed its 5 meta-iterations");

            ExperimentLog log = ExperimentLog.read(bootstrap, Map.of(), id);
            assertThat(log.decisions()).hasSize(5);
            assertThat(log.manifest().getCodeVersion()).isEqualTo("test-A");
            if (maxStaleness == 0) {
                StoppableRuns.assertPriorsMatchReference(log, ef, 1);
            } else {
                StoppableRuns.assertStoppedAsyncVersions(log);   // rounds 2..3 keep the versions issued before the stop
                assertThat(log.preAssignments()).as("no PRE assignment issued twice").hasSize(5 * 2);
            }
        }
    }
}
