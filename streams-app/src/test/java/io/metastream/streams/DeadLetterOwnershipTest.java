package io.metastream.streams;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.schemas.DeadLetter;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who dead-letters what (README "Dead letters"): the policy audit dead-letters each bad policy record
 * while the global store skips the unusable ones and keeps the mismatched ones; the assignment recorder
 * dead-letters tombstones and assignments that can never be assigned; the trajectory gate dead-letters
 * episodes of tasks that can never be assigned — and none of them touches a valid record of the
 * trainer's naming.
 */
class DeadLetterOwnershipTest {

    private static final String EXP = "exp";
    private static final TabularExperimentConfig SMALL = small();
    private static final AdapterConfig CONFIG = AdapterConfig.of(EXP, SMALL);   // 4 iterations × 3 tasks, 40 episodes

    @Test
    void policyAuditDeadLettersEachBadPolicyAndTheStoreKeepsOnlyUsableOnes(@TempDir Path dir) {
        List<PolicyParams> records = List.of(prior("exp/prior/v0", 0.5), prior("exp/prior/v1", Double.NaN),
                PolicyParams.newBuilder(prior("exp/prior/v2", 0.5)).setShape(List.of(4, 16)).build());
        List<String> reasons;
        try (TopologyTestDriver audit = driver(PolicyAudit.build(CONFIG), CONFIG.policyAuditApplicationId(), dir)) {
            pipePolicies(audit, records);
            reasons = deadLetters(audit).stream().map(DeadLetter::getReason).toList();
        }
        assertThat(reasons).containsExactly(
                "policy 'exp/prior/v1' has non-finite params[0] = NaN",
                "policy 'exp/prior/v2' has shape [4, 16], expected [16, 4]",
                "key 'exp/prior/v0' does not match policyId 'exp/prior/v9'",
                "tombstone: policies are never deleted (the log is the experiment)");

        try (TopologyTestDriver adapter = driver(AdapterTopology.build(CONFIG), CONFIG.applicationId(), dir.resolve("a"))) {
            pipePolicies(adapter, records);
            KeyValueStore<String, PolicyParams> store = adapter.getKeyValueStore(AdapterTopology.POLICIES_STORE);
            assertThat(store.get("exp/prior/v0").getParams()).containsOnly(0.5);   // the mismatched key and the tombstone changed nothing
            assertThat(store.get("exp/prior/v1")).as("non-finite: not mirrored").isNull();
            assertThat(store.get("exp/prior/v2")).as("mismatched shape: mirrored, so episodes naming it get the reason")
                    .isNotNull();
            assertThat(deadLetters(adapter)).as("the adapter topology leaves policies to the audit").isEmpty();
        }
    }

    @Test
    void recordsThatCanNeverBelongToATaskOfTheRunAreDeadLetteredAndTheTrainersAreNot(@TempDir Path dir) {
        try (TopologyTestDriver adapter = driver(AdapterTopology.build(CONFIG), CONFIG.applicationId(), dir)) {
            TestInputTopic<String, byte[]> assignments = adapter.createInputTopic(CONFIG.topic(Topics.ASSIGNMENTS),
                    new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> trajectories = adapter.createInputTopic(CONFIG.topic(Topics.TRAJECTORIES),
                    new StringSerializer(), new ByteArraySerializer());
            assignments.pipeInput("r0003-s02", assignment("r0003-s02", 3, Phase.PRE));            // valid: last task of the run
            assignments.pipeInput("eval-v4-t09", assignment("eval-v4-t09", 4, Phase.EVAL));       // valid: last meta-test step
            assignments.pipeInput("r0001-s00", null);
            assignments.pipeInput("r0004-s00", assignment("r0004-s00", 4, Phase.PRE));
            assignments.pipeInput("r0001-s03", assignment("r0001-s03", 1, Phase.PRE));
            assignments.pipeInput("r0001-s00", assignment("r0001-s00", 2, Phase.PRE));
            assignments.pipeInput("eval-v4-t10", assignment("eval-v4-t10", 1, Phase.EVAL));
            assignments.pipeInput("eval-v5-t00", assignment("eval-v5-t00", 1, Phase.EVAL));
            assignments.pipeInput("r1-s1", assignment("r1-s1", 1, Phase.PRE));
            assignments.pipeInput("a b", assignment("a b", 1, Phase.PRE));
            trajectories.pipeInput("r0002-s01", trajectory("r0002-s01", 2));                        // valid
            trajectories.pipeInput("r0009-s01", trajectory("r0009-s01", 9));
            trajectories.pipeInput("r0002-s01", MetastreamSerdes.trajectory().serialize(
                    Trajectory.newBuilder(MetastreamSerdes.trajectory().deserialize(trajectory("r0002-s01", 2)))
                            .setExperimentId("other").build()));

            assertThat(deadLetters(adapter).stream().map(DeadLetter::getReason)).containsExactly(
                    "tombstone: an assignment record needs a value",
                    "task 'r0004-s00' can never be assigned: round 4 is beyond the run [0, 4) (iterations)",
                    "task 'r0001-s03' can never be assigned: slot 3 is beyond [0, 3) (tasks-per-iteration)",
                    "task 'r0001-s00' is of round 1 but the record says round 2",
                    "meta-test task 'eval-v4-t10' can never be assigned: test task 10 is beyond the family's 10 test tasks",
                    "meta-test task 'eval-v5-t00' can never be assigned: version 5 is beyond the run's last meta-prior v4",
                    "malformed task id 'r1-s1': expected the trainer's form r<round:4 digits>-s<slot:2 digits>",
                    "malformed task id 'a b': expected 1 to 64 characters of [A-Za-z0-9._-]",
                    "task 'r0009-s01' can never be assigned: round 9 is beyond the run [0, 4) (iterations)",
                    "experiment 'other' is not this adapter's experiment 'exp'");
        }
    }

    private static TabularExperimentConfig small() {
        TabularExperimentConfig p = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 11);
        return new TabularExperimentConfig(p.family(), p.alg(), p.lambdaTrain(), p.lambdaTest(), 4, 3, 40, p.sarsaStep(),
                p.sarsaSweeps(), p.untriedActions(), p.metaLearningRate(), p.optimizer(), p.phiInit(), p.hypergradient(), p.testSteps(),
                p.pgStepSize(), p.seed());
    }

    private static void pipePolicies(TopologyTestDriver driver, List<PolicyParams> records) {
        TestInputTopic<String, byte[]> in = driver.createInputTopic(CONFIG.topic(Topics.POLICIES), new StringSerializer(),
                new ByteArraySerializer());
        for (PolicyParams p : records) {
            in.pipeInput(p.getPolicyId(), MetastreamSerdes.policyParams().serialize(p));
        }
        in.pipeInput("exp/prior/v0", MetastreamSerdes.policyParams().serialize(prior("exp/prior/v9", 1.0)));
        in.pipeInput("exp/prior/v0", null);
    }

    private static PolicyParams prior(String id, double logit) {
        return PolicyParams.newBuilder().setPolicyId(id).setVersion(0).setKind(PolicyKind.META_PRIOR)
                .setPolicyType("tabular-softmax").setShape(List.of(16, 4)).setParams(Collections.nCopies(64, logit))
                .setRound(-1).build();
    }

    private static byte[] assignment(String taskId, int round, Phase phase) {
        return MetastreamSerdes.assignment().serialize(RolloutAssignment.newBuilder().setExperimentId(EXP)
                .setAssignmentId(taskId + (phase == Phase.EVAL ? "/k" : "/r") + round + "/" + phase).setRound(round)
                .setTaskId(taskId).setTaskSpec("high:SFFF/FFFF/FFFF/FFFG").setPhase(phase)
                .setEvalStep(phase == Phase.EVAL ? round : 0).setPolicyId("exp/prior/v0").setPolicyVersion(0)
                .setEpisodeStart(0).setEpisodeCount(40).setSeed(1).build());
    }

    private static byte[] trajectory(String taskId, int round) {
        return MetastreamSerdes.trajectory().serialize(Trajectory.newBuilder().setExperimentId(EXP)
                .setAssignmentId(taskId + "/r" + round + "/PRE").setTaskId(taskId).setRound(round).setPhase(Phase.PRE)
                .setEvalStep(0).setEpisodeIndex(0).setWorkerId("w").setPolicyId("exp/prior/v0").setPolicyVersion(0)
                .setObsDim(1).setActDim(1).setObservations(List.of(0.0, 1.0)).setActions(List.of(2.0))
                .setRewards(List.of(0.0)).setBehaviourLogProbs(List.of(-1.386)).setUndiscountedReturn(0).build());
    }

    private static List<DeadLetter> deadLetters(TopologyTestDriver driver) {
        TestOutputTopic<byte[], DeadLetter> out = driver.createOutputTopic(CONFIG.topic(Topics.DEAD_LETTERS),
                new ByteArrayDeserializer(), MetastreamSerdes.deadLetter().deserializer());
        return out.readValuesToList();
    }

    private static TopologyTestDriver driver(Topology topology, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return new TopologyTestDriver(topology, props);
    }
}
