package io.metastream.streams;

import io.metastream.core.task.FrozenLakeMap;

import io.metastream.core.meta.TabularMetaTest;

import io.metastream.schemas.MetricsRecord;

import static org.assertj.core.api.Assertions.assertThat;

import io.metastream.core.meta.TabularBoMrl;
import io.metastream.schemas.DeadLetter;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;

class AdapterTopologyTest {

    private static TaskFixture task;

    private final Serializer<Trajectory> trajectoryBytes = MetastreamSerdes.trajectory().serializer();
    private TopologyTestDriver driver;
    private TestInputTopic<String, PolicyParams> policiesIn;
    private TestInputTopic<String, RolloutAssignment> assignmentsIn;
    private TestInputTopic<String, byte[]> trajectoriesIn;
    private TestOutputTopic<String, PolicyParams> policiesOut;
    private TestOutputTopic<String, RolloutAssignment> assignmentsOut;
    private TestOutputTopic<String, TaskMetaGradient> gradientsOut;
    private TestOutputTopic<byte[], DeadLetter> deadLettersOut;
    private TestOutputTopic<String, MetricsRecord> metricsOut;

    @BeforeAll
    static void computeReference() {
        task = TaskFixture.paper("frozenlake-high");
    }

    @BeforeEach
    void startDriver(@TempDir Path stateDir) {
        AdapterConfig config = task.adapterConfig();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AdapterTopology.build(config, preEstimates), props);
        StringSerializer strings = new StringSerializer();
        StringDeserializer stringsIn = new StringDeserializer();
        policiesIn = driver.createInputTopic(config.topic(Topics.POLICIES), strings,
                MetastreamSerdes.policyParams().serializer());
        assignmentsIn = driver.createInputTopic(config.topic(Topics.ASSIGNMENTS), strings,
                MetastreamSerdes.assignment().serializer());
        trajectoriesIn = driver.createInputTopic(config.topic(Topics.TRAJECTORIES), strings, new ByteArraySerializer());
        policiesOut = driver.createOutputTopic(config.topic(Topics.POLICIES), stringsIn,
                MetastreamSerdes.policyParams().deserializer());
        assignmentsOut = driver.createOutputTopic(config.topic(Topics.ASSIGNMENTS), stringsIn,
                MetastreamSerdes.assignment().deserializer());
        gradientsOut = driver.createOutputTopic(config.topic(Topics.META_GRADIENTS), stringsIn,
                MetastreamSerdes.metaGradient().deserializer());
        metricsOut = driver.createOutputTopic(config.topic(Topics.METRICS), stringsIn,
                MetastreamSerdes.metrics().deserializer());
        deadLettersOut = driver.createOutputTopic(config.topic(Topics.DEAD_LETTERS), new ByteArrayDeserializer(),
                MetastreamSerdes.deadLetter().deserializer());
    }

    private final PreEstimates preEstimates = new PreEstimates();

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void completePreBatchPublishesTheAdaptedPolicyOfCoreAndOnePostAssignment() {
        publishPriorAndPreAssignment();
        pipe(task.preTrajectories());

        List<PolicyParams> adapted = policiesOut.readValuesToList();
        assertThat(adapted).hasSize(1);
        PolicyParams theta = adapted.get(0);
        assertThat(theta.getParams()).containsExactlyElementsOf(TaskFixture.boxed(task.theta));
        assertThat(theta.getPolicyId()).isEqualTo(task.adaptedId());
        assertThat(theta.getKind()).isEqualTo(PolicyKind.ADAPTED);
        assertThat(theta.getParentId()).isEqualTo(TaskFixture.PRIOR_ID);
        assertThat(theta.getTaskId()).isEqualTo(TaskFixture.TASK_ID);
        assertThat(theta.getShape()).containsExactly(16, 4);

        List<RolloutAssignment> posts = assignmentsOut.readValuesToList();
        assertThat(posts).hasSize(1);
        RolloutAssignment post = posts.get(0);
        assertThat(post.getPhase()).isEqualTo(Phase.POST);
        assertThat(post.getSeed()).isEqualTo(TabularBoMrl.postSeed(task.preSeed));
        assertThat(post.getAssignmentId()).isEqualTo(TaskFixture.TASK_ID + "/r0/POST");
        assertThat(post.getPolicyId()).isEqualTo(task.adaptedId());
        assertThat(post.getTaskSpec()).isEqualTo(TaskFixture.TASK_SPEC);
        assertThat(post.getEpisodeCount()).isEqualTo(task.config.episodes());
        assertThat(gradientsOut.isEmpty()).isTrue();
    }

    @Test
    void shuffledPostBatchWithDuplicatesGivesCoresMetaGradientOnce() {
        publishPriorAndPreAssignment();
        pipe(task.preTrajectories());
        List<Trajectory> post = new ArrayList<>(task.postTrajectories());
        post.addAll(post.subList(0, 40));
        Collections.shuffle(post, new Random(5));
        pipe(post);
        pipe(task.postTrajectories().subList(0, 3)); // late duplicates after completion

        List<TaskMetaGradient> gradients = gradientsOut.readValuesToList();
        assertThat(gradients).hasSize(1);
        TaskMetaGradient g = gradients.get(0);
        assertThat(g.getGradient()).containsExactlyElementsOf(TaskFixture.boxed(task.gradient));
        assertThat(g.getPreReturn()).isEqualTo(task.preReturn());
        assertThat(g.getPostReturn()).isEqualTo(task.postReturn());
        assertThat(g.getAdaptedPolicyId()).isEqualTo(task.adaptedId());
        assertThat(g.getCgResidual()).isZero();
        assertThat(g.getKlAdaptedPrior()).isPositive();
        assertThat(policiesOut.readValuesToList()).hasSize(1);
        assertThat(deadLettersOut.isEmpty()).isTrue();
    }

    /** The PRE estimates kept from the adaptation are a shortcut only: recomputed after a restart, the same bits. */
    @Test
    void metaGradientIsTheSameWhenThePreEstimatesWereNotKept() {
        publishPriorAndPreAssignment();
        pipe(task.preTrajectories());
        preEstimates.clear();
        pipe(task.postTrajectories());

        List<TaskMetaGradient> gradients = gradientsOut.readValuesToList();
        assertThat(gradients).hasSize(1);
        assertThat(gradients.get(0).getGradient()).containsExactlyElementsOf(TaskFixture.boxed(task.gradient));
        assertThat(gradients.get(0).getPreReturn()).isEqualTo(task.preReturn());
    }

    @Test
    void badTrajectoriesAreDeadLetteredWithTheirReasonAndLeaveTheResultUnchanged() {
        publishPriorAndPreAssignment();
        List<Trajectory> pre = task.preTrajectories();
        byte[] garbage = "not a trajectory".getBytes(StandardCharsets.UTF_8);
        trajectoriesIn.pipeInput(TaskFixture.TASK_ID, garbage);
        Trajectory nan = Trajectory.newBuilder(pre.get(3)).setRewards(withNaNAt(pre.get(3).getRewards(), 0)).build();
        trajectoriesIn.pipeInput(TaskFixture.TASK_ID, trajectoryBytes.serialize("t", nan));
        Trajectory stranger = Trajectory.newBuilder(pre.get(4)).setPolicyId("prior/v99").build();
        trajectoriesIn.pipeInput(TaskFixture.TASK_ID, trajectoryBytes.serialize("t", stranger));
        pipe(pre);
        pipe(task.postTrajectories());

        List<DeadLetter> letters = deadLettersOut.readValuesToList();
        assertThat(letters).extracting(DeadLetter::getReason).satisfiesExactly(
                r -> assertThat(r).startsWith("undecodable trajectory: "),
                r -> assertThat(r).isEqualTo("non-finite reward at t=0: NaN"),
                r -> assertThat(r).isEqualTo("policy 'prior/v99' is not the policy '" + TaskFixture.PRIOR_ID
                        + "' of assignment '" + pre.get(4).getAssignmentId() + "'"));
        assertThat(letters.get(0).getValue().array()).isEqualTo(garbage);
        assertThat(letters.get(0).getOriginalTopic()).isEqualTo(task.adapterConfig().topic(Topics.TRAJECTORIES));
        assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(0L, 1L, 2L);
        List<TaskMetaGradient> gradients = gradientsOut.readValuesToList();
        assertThat(gradients).hasSize(1);
        assertThat(gradients.get(0).getGradient()).containsExactlyElementsOf(TaskFixture.boxed(task.gradient));
    }

    @Test
    void preBatchCompletedBeforeItsAssignmentIsAdaptedWhenTheAssignmentArrives() {
        policiesIn.pipeInput(TaskFixture.PRIOR_ID, task.prior());
        pipe(task.preTrajectories());
        assertThat(policiesOut.isEmpty()).isTrue();

        assignmentsIn.pipeInput(TaskFixture.TASK_ID, task.preAssignment());

        assertThat(policiesOut.readValuesToList()).singleElement()
                .satisfies(p -> assertThat(p.getParams()).containsExactlyElementsOf(TaskFixture.boxed(task.theta)));
        assertThat(assignmentsOut.readValuesToList()).hasSize(1);
    }

    @Test
    void preBatchWhosePolicyReachesTheStoreLateIsAdaptedWhenItArrives() {
        // the global policies store can lag the worker that played the policy: no dead letter, just a wait
        assignmentsIn.pipeInput(TaskFixture.TASK_ID, task.preAssignment());
        pipe(task.preTrajectories());
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(policiesOut.isEmpty()).isTrue();
        assertThat(deadLettersOut.isEmpty()).isTrue();

        policiesIn.pipeInput(TaskFixture.PRIOR_ID, task.prior());
        driver.advanceWallClockTime(AdaptProcessor.RETRY.multipliedBy(2));

        assertThat(policiesOut.readValuesToList()).singleElement()
                .satisfies(p -> assertThat(p.getParams()).containsExactlyElementsOf(TaskFixture.boxed(task.theta)));
        assertThat(assignmentsOut.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getSeed()).isEqualTo(TabularBoMrl.postSeed(task.preSeed)));
        pipe(task.postTrajectories());
        assertThat(gradientsOut.readValuesToList()).singleElement()
                .satisfies(g -> assertThat(g.getGradient()).containsExactlyElementsOf(TaskFixture.boxed(task.gradient)));
    }

    @Test
    void completeEvalStepReportsTheExactReturnOfCoresAdaptationAndIssuesTheNextStep() {
        policiesIn.pipeInput(TaskFixture.PRIOR_ID, task.prior());
        RolloutAssignment eval = RolloutAssignment.newBuilder(task.preAssignment()).setPhase(Phase.EVAL).setRound(1)
                .setEvalStep(1).setAssignmentId(TaskFixture.TASK_ID + "/k1/EVAL").build();
        assignmentsIn.pipeInput(TaskFixture.TASK_ID, eval);
        pipe(task.preTrajectories().stream().map(t -> Trajectory.newBuilder(t).setPhase(Phase.EVAL).setRound(1)
                .setEvalStep(1).setAssignmentId(eval.getAssignmentId()).build()).toList());

        double[] phi = TabularPolicies.logits(task.prior());
        TabularBoMrl bomrl = new TabularBoMrl(task.config, 16, 4, FrozenLakeMap.GAMMA);
        double[] theta1 = bomrl.adapt(phi, bomrl.estimate(EpisodeStore.tabular(task.preTrajectories()), phi),
                task.config.lambdaTest());
        assertThat(policiesOut.readValuesToList()).singleElement()
                .satisfies(p -> assertThat(p.getParams()).containsExactlyElementsOf(TaskFixture.boxed(theta1)));
        List<MetricsRecord> metrics = metricsOut.readValuesToList();
        assertThat(metrics).singleElement().satisfies(m -> {
            assertThat(m.getKind()).isEqualTo("eval");
            assertThat(m.getRound()).isEqualTo(1);
            assertThat(m.getValues().get("return"))
                    .isEqualTo(TabularMetaTest.exactReturn(FrozenLakeMap.parse(TaskFixture.TASK_SPEC), theta1));
        });
        assertThat(assignmentsOut.readValuesToList()).singleElement().satisfies(next -> {
            assertThat(next.getPhase()).isEqualTo(Phase.EVAL);
            assertThat(next.getRound()).isEqualTo(2);
            assertThat(next.getSeed()).isEqualTo(TabularBoMrl.nextEvalSeed(eval.getSeed()));
        });
        assertThat(deadLettersOut.isEmpty()).isTrue();
    }

    @Test
    void shapeErrorsNameTheMismatch() {
        publishPriorAndPreAssignment();
        Trajectory t = task.preTrajectories().get(0);
        Trajectory shortRewards = Trajectory.newBuilder(t).setRewards(t.getRewards().subList(1, t.getRewards().size()))
                .build();
        List<Double> states = new ArrayList<>(t.getObservations());
        states.set(0, 16.0);
        Trajectory offGrid = Trajectory.newBuilder(t).setObservations(states).build();
        trajectoriesIn.pipeInput(TaskFixture.TASK_ID, trajectoryBytes.serialize("t", shortRewards));
        trajectoriesIn.pipeInput(TaskFixture.TASK_ID, trajectoryBytes.serialize("t", offGrid));

        assertThat(deadLettersOut.readValuesToList()).extracting(DeadLetter::getReason).satisfiesExactly(
                r -> assertThat(r).startsWith("lengths: ").contains("expected T+1, T, T, T"),
                r -> assertThat(r).isEqualTo("state 16.0 at t=0 is not an integer in [0, 16)"));
    }

    @Test
    void undecodableAssignmentIsDeadLetteredAndTheTaskStillCompletes() {
        TestInputTopic<String, byte[]> rawAssignments = driver.createInputTopic(
                task.adapterConfig().topic(Topics.ASSIGNMENTS), new StringSerializer(), new ByteArraySerializer());
        rawAssignments.pipeInput(TaskFixture.TASK_ID, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
        publishPriorAndPreAssignment();
        pipe(task.preTrajectories());
        pipe(task.postTrajectories());

        assertThat(deadLettersOut.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.getReason()).startsWith("undecodable assignment: ");
            assertThat(d.getOriginalTopic()).isEqualTo(task.adapterConfig().topic(Topics.ASSIGNMENTS));
            assertThat(d.getKey().array()).isEqualTo(TaskFixture.TASK_ID.getBytes(StandardCharsets.UTF_8));
        });
        assertThat(gradientsOut.readValuesToList()).singleElement()
                .satisfies(g -> assertThat(g.getGradient()).containsExactlyElementsOf(TaskFixture.boxed(task.gradient)));
    }

    @Test
    void redeliveredPreAssignmentAndAnIncompleteEvalBatchChangeNothing() {
        publishPriorAndPreAssignment();
        pipe(task.preTrajectories());
        pipe(task.postTrajectories());
        policiesOut.readValuesToList();
        assignmentsOut.readValuesToList();
        gradientsOut.readValuesToList();

        assignmentsIn.pipeInput(TaskFixture.TASK_ID, task.preAssignment());
        pipe(task.preTrajectories().subList(0, 5).stream()
                .map(t -> Trajectory.newBuilder(t).setPhase(Phase.EVAL).setEvalStep(1).build()).toList());

        assertThat(policiesOut.isEmpty()).isTrue();
        assertThat(assignmentsOut.isEmpty()).isTrue();
        assertThat(gradientsOut.isEmpty()).isTrue();
        assertThat(deadLettersOut.isEmpty()).isTrue();
    }

    @Test
    void interactiveQueriesReportBatchFillAndTheAdaptedPolicyOfATask() {
        AdapterQueries queries = new AdapterQueries(name -> driver.getKeyValueStore(name));
        assertThat(queries.status(TaskFixture.TASK_ID, 0))
                .isEqualTo(new AdapterQueries.TaskStatus(TaskFixture.TASK_ID, 0, 0, 0, null, null));
        publishPriorAndPreAssignment();
        List<Trajectory> pre = task.preTrajectories();
        pipe(pre.subList(0, 7));
        assertThat(queries.status(TaskFixture.TASK_ID, 0)).isEqualTo(new AdapterQueries.TaskStatus(TaskFixture.TASK_ID, 0, 7, 0,
                null, null));
        pipe(pre.subList(7, pre.size()));
        AdapterQueries.TaskStatus adapted = queries.status(TaskFixture.TASK_ID, 0);
        assertThat(adapted.preEpisodes()).isEqualTo(pre.size());
        assertThat(adapted.adaptedPolicyId()).isEqualTo(task.adaptedId());
        assertThat(adapted.adaptedVersion()).isEqualTo(task.prior().getVersion());
        assertThat(adapted.toJson()).isEqualTo("{\"taskId\":\"task-3\",\"round\":0,\"preEpisodes\":" + pre.size()
                + ",\"postEpisodes\":0,\"adaptedPolicyId\":\"" + task.adaptedId() + "\",\"adaptedVersion\":"
                + task.prior().getVersion() + "}");
        List<Trajectory> post = task.postTrajectories();
        pipe(post.subList(0, 3));
        assertThat(queries.status(TaskFixture.TASK_ID, 0).postEpisodes()).isEqualTo(3);
        pipe(post.subList(3, post.size()));
        assertThat(gradientsOut.readValuesToList()).hasSize(1);
        assertThat(queries.status(TaskFixture.TASK_ID, 0)).as("cleaned up once the meta-gradient is out")
                .isEqualTo(new AdapterQueries.TaskStatus(TaskFixture.TASK_ID, 0, 0, 0, null, null));
        assertThat(queries.status("another-task", 0).preEpisodes()).isZero();
    }

    private void publishPriorAndPreAssignment() {
        policiesIn.pipeInput(TaskFixture.PRIOR_ID, task.prior());
        assignmentsIn.pipeInput(TaskFixture.TASK_ID, task.preAssignment());
    }

    private void pipe(List<Trajectory> trajectories) {
        for (Trajectory t : trajectories) {
            trajectoriesIn.pipeInput(t.getTaskId(), trajectoryBytes.serialize("t", t));
        }
    }

    private static List<Double> withNaNAt(List<Double> values, int t) {
        List<Double> out = new ArrayList<>(values);
        out.set(t, Double.NaN);
        return out;
    }
}
