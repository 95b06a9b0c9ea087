package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.schemas.ControlRecord;
import io.metastream.schemas.ExperimentManifest;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.SchemaCatalog;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;
import io.metastream.schemas.TrainerDecision;
import io.metastream.trainer.ExperimentLog;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.TopicReader;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay} re-runs an experiment's adapter and trainer from its recorded trajectories: the
 * meta-prior sequence and the trainer decisions come out bit-identical for synchronous and
 * asynchronous runs and for a log written with the previous schema versions, and a tampered log
 * is reported at its first divergence.
 */
@ExtendWith(SharedKafkaBroker.class)
class ReplayIntegrationTest {

    private static ExperimentFile small(String id, int maxStaleness) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment-id", id);
        m.put("family", "frozenlake-high");
        m.put("alg", "1");
        m.put("seed", 5);
        m.put("iterations", 4);
        m.put("tasks-per-iteration", 3);
        m.put("episodes", 40);
        m.put("sarsa-sweeps", 5);
        m.put("test-steps", 1);
        m.put("workers", 2);
        m.put("max-staleness", maxStaleness);
        return ExperimentFile.fromMap(m, "test");
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void aSynchronousRunReplaysBitForBitAndATamperedLogIsCaughtAtItsFirstDivergence(EmbeddedKafkaBroker broker,
                                                                                    @TempDir Path dir) throws Exception {
        String bootstrap = broker.bootstrapServers();
        ExperimentFile ef = small(SharedKafkaBroker.uniqueName("rec"), 0);
        RunSession.runAll(ef, bootstrap, Map.of(), dir, quiet());
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(ef.experiment()).train(s -> reference.add(s.phi()));
        ExperimentLog recorded = ExperimentLog.read(bootstrap, Map.of(), ef.experimentId());
        for (int v = 1; v <= reference.size(); v++) {
            assertThat(recorded.priorParams(v)).as("recorded v%d", v).containsExactly(reference.get(v - 1));
        }

        // report: the run directory's CSVs regenerated from the topics alone are identical
        Path again = dir.resolve("report");
        Report.write(bootstrap, Map.of(), ef.experimentId(), again, quiet());
        for (String f : new String[]{"progress.csv", "meta-test.csv", "gap-bound.csv", "manifest.txt"}) {
            assertThat(Files.readString(again.resolve(f))).as(f).isEqualTo(Files.readString(dir.resolve(f)));
        }
        assertThat(Files.readString(again.resolve("progress.csv")).lines()).hasSize(5);
        assertThat(again.resolve("progress.png")).isNotEmptyFile();
        assertThat(again.resolve("adaptation.png")).isNotEmptyFile();
        assertThat(again.resolve("gap-bound.png")).isNotEmptyFile();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Replay.Result same = Replay.run(bootstrap, Map.of(), ef.experimentId(), ef.experimentId() + "-replay",
                new PrintStream(printed, true));
        System.out.printf("replay of a %d-round synchronous run: %s%n", same.rounds(), same);
        assertThat(same.identical()).as(same.divergence()).isTrue();
        assertThat(same.versionsCompared()).isEqualTo(5);
        assertThat(same.decisionsCompared()).isEqualTo(4);
        assertThat(same.trajectories()).isEqualTo(4L * 3 * 2 * 40);
        assertThat(printed.toString()).contains("replay round 4/4  meta-prior v4 identical");

        // tamper: a later record for meta-prior v2 (compaction keeps the last) with one parameter nudged
        PolicyParams v2 = recorded.priors().get(2L);
        List<Double> params = new ArrayList<>(v2.getParams());
        params.set(7, Math.nextUp(params.get(7)));
        send(bootstrap, Topics.POLICIES.of(ef.experimentId()), v2.getPolicyId(),
                MetastreamSerdes.policyParams().serialize(PolicyParams.newBuilder(v2).setParams(params).build()));
        Replay.Result tampered = Replay.run(bootstrap, Map.of(), ef.experimentId(), ef.experimentId() + "-replay2", quiet());
        assertThat(tampered.identical()).isFalse();
        assertThat(tampered.firstDivergentVersion()).isEqualTo(2);
        assertThat(tampered.divergence()).startsWith("meta-prior v2: first difference at parameter 7");
    }

    @Test
    void anAsynchronousRunReplaysBitForBit(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String bootstrap = broker.bootstrapServers();
        ExperimentFile ef = small(SharedKafkaBroker.uniqueName("async-rec"), 2);
        RunSession.runAll(ef, bootstrap, Map.of(), dir, quiet());
        // through the command line this time: exit code 0 and the verdict line
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(printed, true));
        int code;
        try {
            code = MetastreamCommand.execute("replay", "--experiment", ef.experimentId(), "--as", ef.experimentId() + "-replay",
                    "--bootstrap-servers", bootstrap);
        } finally {
            System.setOut(old);
        }
        System.out.printf("replay of a 4-round asynchronous run (max-staleness 2): %s%n",
                printed.toString().lines().filter(l -> l.startsWith("replay of")).findFirst().orElse("?"));
        assertThat(code).as(printed.toString()).isZero();
        assertThat(printed.toString()).contains("IDENTICAL — 5 meta-prior versions and 4 trainer decisions compared bit for bit");
        ExperimentLog y = ExperimentLog.read(bootstrap, Map.of(), ef.experimentId() + "-replay");
        assertThat(y.decisions().get(3).getConsumed()).extracting(g -> g.getPolicyVersion()).containsOnly(1L);
    }

    /**
     * A log written with the previous schema versions (ControlRecord v1 — decisions without the
     * learner state —, PolicyParams v1, Trajectory v1) replays under the current code with the
     * same meta-priors: the recorded run is copied record by record, re-encoded with the v1 writer
     * schemas from the schema store, into a new experiment, which is then replayed.
     */
    @Test
    void aLogWrittenWithThePreviousSchemaVersionsReplaysIdentically(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        ExperimentFile ef = small(SharedKafkaBroker.uniqueName("old-rec"), 0);
        RunSession.runAll(ef, bootstrap, Map.of(), dir, quiet());
        String x = ef.experimentId();
        String old = x + "-v1";
        ExperimentTopics.create(bootstrap, old, ef.partitions(), (short) 1, Map.of());
        SchemaCatalog catalog = SchemaCatalog.standard();
        Schema controlV1 = catalog.released(ControlRecord.getClassSchema().getFullName()).get(0).schema();
        Schema policyV1 = catalog.released(PolicyParams.getClassSchema().getFullName()).get(0).schema();
        Schema trajectoryV1 = catalog.released(Trajectory.getClassSchema().getFullName()).get(0).schema();
        assertThat(controlV1.toString()).doesNotContain("learnerState");
        int copied = 0;
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, Map.of(), Topics.CONTROL.of(x))) {
                ControlRecord c = MetastreamSerdes.control().deserialize(r.value());
                Object payload = c.getPayload() instanceof ExperimentManifest m ? ExperimentManifest.newBuilder(m).setExperimentId(old).build()
                        : TrainerDecision.newBuilder((TrainerDecision) c.getPayload()).setExperimentId(old).build();
                ControlRecord moved = ControlRecord.newBuilder(c).setExperimentId(old).setPayload(payload).build();
                p.send(new ProducerRecord<>(Topics.CONTROL.of(old), old, v1(controlV1, moved)));
                copied++;
            }
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, Map.of(), Topics.POLICIES.of(x))) {
                PolicyParams pp = MetastreamSerdes.policyParams().deserialize(r.value());
                PolicyParams moved = PolicyParams.newBuilder(pp).setPolicyId(rename(pp.getPolicyId(), x, old))
                        .setParentId(pp.getParentId() == null ? null : rename(pp.getParentId(), x, old)).build();
                p.send(new ProducerRecord<>(Topics.POLICIES.of(old), moved.getPolicyId(), v1(policyV1, moved)));
                copied++;
            }
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, Map.of(), Topics.TRAJECTORIES.of(x))) {
                Trajectory t = MetastreamSerdes.trajectory().deserialize(r.value());
                Trajectory moved = Trajectory.newBuilder(t).setExperimentId(old).setPolicyId(rename(t.getPolicyId(), x, old)).build();
                p.send(new ProducerRecord<>(Topics.TRAJECTORIES.of(old), r.key(), v1(trajectoryV1, moved)));
                copied++;
            }
            p.flush();
        }
        ExperimentLog oldLog = ExperimentLog.read(bootstrap, Map.of(), old);
        assertThat(oldLog.decisions()).hasSize(4);
        assertThat(oldLog.decisions().get(0).getLearnerState()).as("v1 decisions read with the default").isEmpty();

        Replay.Result r = Replay.run(bootstrap, Map.of(), old, old + "-replay", quiet());
        System.out.printf("replay of a log re-encoded with the v1 schemas (%d records): %s%n", copied, r);
        assertThat(r.identical()).as(r.divergence()).isTrue();
        ExperimentLog y = ExperimentLog.read(bootstrap, Map.of(), old + "-replay");
        ExperimentLog recorded = ExperimentLog.read(bootstrap, Map.of(), x);
        for (long v = 0; v <= 4; v++) {
            assertThat(y.priorParams(v)).as("v%d", v).containsExactly(recorded.priorParams(v));
        }
    }

    private static String rename(String id, String from, String to) {
        return id.startsWith(from + "/") ? to + id.substring(from.length()) : id;
    }

    /** Single-object encoding with an older writer schema (the record copied into it field by field). */
    private static byte[] v1(Schema writer, Object record) throws IOException {
        GenericRecord g = (GenericRecord) GenericData.get().deepCopy(writer, record);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(g, out);
        return out.toByteArray();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new ByteArraySerializer());
    }

    private static void send(String bootstrap, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
