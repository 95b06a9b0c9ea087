package io.metastream.streams;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.random.Purpose;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.schemas.ContinuousTaskTerms;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter's continuous path (TopologyTestDriver): one point-navigation task computed the
 * reference loop's way with a non-trivial normaliser — θ* and the task's meta-gradient come out of
 * the topology bit for bit; a prior of the wrong architecture and EVAL records are dead-lettered
 * with their reason.
 */
class ContinuousAdapterTopologyTest {

    static final String EXP_ID = "pointnav-test";
    static final String TASK = "r0000-s00";
    static final String PRIOR = EXP_ID + "/prior/v2";
    static final PointGoal GOAL = new PointGoal(0.2, -0.35);

    /** MLP 8, H 8 + C 4, 5 PRE and 7 POST episodes. */
    static final ContinuousExperimentConfig EXP = tiny();

    private final ContinuousBoMrl bomrl = new ContinuousBoMrl(EXP, 2, 2);
    private final RunningMoments moments = RunningMoments.of(new double[] {0.05, -0.1, 0.2, 0.1, -0.15, 0.3}, 3, 2);
    private final ObservationNormalizer normalizer = bomrl.normalizer(moments);
    private final double[] phi = bomrl.initialPhi();
    private final long preSeed = TabularBoMrl.collectionSeed(EXP.seed(), Purpose.PRE, 0, 0);
    private final List<ContinuousTrajectory> pre;
    private final double[] theta;
    private final List<ContinuousTrajectory> post;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PolicyParams> policiesIn;
    private TestInputTopic<String, RolloutAssignment> assignmentsIn;
    private TestInputTopic<String, byte[]> trajectoriesIn;
    private TestOutputTopic<String, PolicyParams> policiesOut;
    private TestOutputTopic<String, RolloutAssignment> assignmentsOut;
    private TestOutputTopic<String, TaskMetaGradient> gradientsOut;
    private TestOutputTopic<byte[], DeadLetter> deadLettersOut;

    ContinuousAdapterTopologyTest() {
        ContinuousRollouts rollouts = bomrl.trainingRollouts();
        PointNavigation env = new PointNavigationFamily().newEnvironment(GOAL, rollouts.environmentHorizon());
        pre = rollouts.collect(env, phi, normalizer, preSeed, 0, EXP.preRollouts(), ContinuousRollouts.Mode.STOCHASTIC);
        theta = bomrl.adapt(phi, bomrl.estimate(pre, normalizer)).theta();
        post = rollouts.collect(env, theta, normalizer, TabularBoMrl.postSeed(preSeed), 0, EXP.postRollouts(),
                ContinuousRollouts.Mode.STOCHASTIC);
    }

    static ContinuousExperimentConfig tiny() {
        ContinuousExperimentConfig p = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG2, 9);
        return new ContinuousExperimentConfig(p.family(), p.algorithm(), new int[] {8}, p.initLogStd(), 0.5, p.lambda(),
                10, p.innerLearningRate(), p.innerMaxKl(), 5, 7, 1, p.gamma(), 8, 4, p.cgIterations(), p.cgDamping(),
                p.metaMaxKl(), 1, p.testSteps(), p.evalEpisodes(), 30, true, p.method(), p.innerStepSize(),
                p.metaLearningRate(), p.prompSteps(), p.prompClip(), p.prompKlWeight(), p.seed(), false);
    }

    @BeforeEach
    void startDriver(@TempDir Path stateDir) {
        AdapterConfig config = AdapterConfig.of(EXP_ID, EXP);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AdapterTopology.build(config), props);
        StringSerializer strings = new StringSerializer();
        StringDeserializer stringsIn = new StringDeserializer();
        policiesIn = driver.createInputTopic(config.topic(Topics.POLICIES), strings, MetastreamSerdes.policyParams().serializer());
        assignmentsIn = driver.createInputTopic(config.topic(Topics.ASSIGNMENTS), strings,
                MetastreamSerdes.assignment().serializer());
        trajectoriesIn = driver.createInputTopic(config.topic(Topics.TRAJECTORIES), strings, new ByteArraySerializer());
        policiesOut = driver.createOutputTopic(config.topic(Topics.POLICIES), stringsIn,
                MetastreamSerdes.policyParams().deserializer());
        assignmentsOut = driver.createOutputTopic(config.topic(Topics.ASSIGNMENTS), stringsIn,
                MetastreamSerdes.assignment().deserializer());
        gradientsOut = driver.createOutputTopic(config.topic(Topics.META_GRADIENTS), stringsIn,
                MetastreamSerdes.metaGradient().deserializer());
        deadLettersOut = driver.createOutputTopic(config.topic(Topics.DEAD_LETTERS), new ByteArrayDeserializer(),
                MetastreamSerdes.deadLetter().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void adaptedPolicyAndMetaGradientEqualCoresBitForBit() {
        policiesIn.pipeInput(PRIOR, prior(List.of(2, 8, 2)));
        assignmentsIn.pipeInput(TASK, preAssignment(Phase.PRE));
        pipe(records(pre, Phase.PRE, PRIOR));

        List<PolicyParams> adapted = policiesOut.readValuesToList();
        assertThat(adapted).hasSize(1);
        PolicyParams a = adapted.get(0);
        assertThat(a.getParams()).containsExactlyElementsOf(boxed(theta));
        assertThat(a.getKind()).isEqualTo(PolicyKind.ADAPTED);
        assertThat(a.getPolicyType()).isEqualTo("gaussian-mlp");
        assertThat(a.getShape()).containsExactly(2, 8, 2);
        assertThat(a.getObservationM2()).containsExactlyElementsOf(boxed(moments.m2()));
        RolloutAssignment postAssignment = assignmentsOut.readValuesToList().get(0);
        assertThat(postAssignment.getEpisodeCount()).isEqualTo(EXP.postRollouts());
        assertThat(postAssignment.getSeed()).isEqualTo(TabularBoMrl.postSeed(preSeed));
        assertThat(postAssignment.getPolicyId()).isEqualTo(a.getPolicyId());

        List<Trajectory> posts = new ArrayList<>(records(post, Phase.POST, a.getPolicyId()));
        posts.add(posts.get(2));
        Collections.shuffle(posts, new Random(3));
        pipe(posts);

        ContinuousBoMrl.TaskResult expected = bomrl.taskResult(phi, theta, pre, post, normalizer);
        List<TaskMetaGradient> gradients = gradientsOut.readValuesToList();
        assertThat(gradients).hasSize(1);
        TaskMetaGradient g = gradients.get(0);
        assertThat(g.getGradient()).containsExactlyElementsOf(boxed(expected.metaGradient()));
        assertThat(g.getCgResidual()).isEqualTo(expected.cgResidual());
        assertThat(g.getPreReturn()).isEqualTo(expected.preReturn());
        ContinuousTaskTerms c = g.getContinuous();
        assertThat(c.getCgSolution()).containsExactlyElementsOf(boxed(expected.cgSolution()));
        assertThat(c.getAdaptedParams()).containsExactlyElementsOf(boxed(theta));
        assertThat(c.getStates()).containsExactlyElementsOf(boxed(expected.fisherStates())).hasSize(30 * 2);
        assertThat(c.getObservationCount()).isEqualTo((double) EXP.preRollouts() * EXP.horizon());
        assertThat(c.getObservationMean()).containsExactlyElementsOf(boxed(expected.preMoments().mean()));
        assertThat(deadLettersOut.isEmpty()).isTrue();
    }

    @Test
    void aPriorOfTheWrongArchitectureAndEvalRecordsAreDeadLettered() {
        policiesIn.pipeInput(PRIOR, prior(List.of(2, 16, 2)));
        assignmentsIn.pipeInput(TASK, preAssignment(Phase.EVAL));
        pipe(records(pre.subList(0, 1), Phase.PRE, PRIOR));
        Trajectory eval = Trajectory.newBuilder(records(pre.subList(0, 1), Phase.PRE, PRIOR).get(0))
                .setPhase(Phase.EVAL).setEvalStep(1).build();
        pipe(List.of(eval));

        List<String> reasons = deadLettersOut.readValuesToList().stream().map(DeadLetter::getReason).toList();
        assertThat(reasons).containsExactly(
                "EVAL assignment of a continuous experiment: the adapter does not run the continuous meta-test "
                        + "(the trainer runs it in-process)",
                "policy '" + PRIOR + "' has shape [2, 16, 2], expected [obsDim, 8, actDim]",
                "EVAL episode of a continuous experiment: the adapter does not run the continuous meta-test "
                        + "(the trainer runs it in-process)");
        assertThat(policiesOut.isEmpty()).isTrue();
    }

    private PolicyParams prior(List<Integer> shape) {
        return PolicyParams.newBuilder().setPolicyId(PRIOR).setVersion(2).setKind(PolicyKind.META_PRIOR)
                .setPolicyType("gaussian-mlp").setShape(shape).setParams(boxed(phi)).setRound(1)
                .setObservationCount(moments.count()).setObservationMean(boxed(moments.mean()))
                .setObservationM2(boxed(moments.m2())).build();
    }

    private RolloutAssignment preAssignment(Phase phase) {
        return RolloutAssignment.newBuilder().setExperimentId(EXP_ID).setAssignmentId(TASK + "/r0/PRE").setRound(0)
                .setTaskId(TASK).setTaskSpec(new PointNavigationFamily().spec(GOAL)).setPhase(phase).setEvalStep(0)
                .setPolicyId(PRIOR).setPolicyVersion(2).setEpisodeStart(0).setEpisodeCount(EXP.preRollouts())
                .setSeed(preSeed).build();
    }

    /** Worker-style records of core's episodes (log-probs are not used by the adapter's math: zeros). */
    private static List<Trajectory> records(List<ContinuousTrajectory> episodes, Phase phase, String policyId) {
        List<Trajectory> out = new ArrayList<>();
        for (ContinuousTrajectory e : episodes) {
            out.add(Trajectory.newBuilder().setExperimentId(EXP_ID).setAssignmentId(TASK + "/r0/" + phase)
                    .setTaskId(TASK).setRound(0).setPhase(phase).setEvalStep(0).setEpisodeIndex(e.episode())
                    .setWorkerId("w").setPolicyId(policyId).setPolicyVersion(2).setObsDim(2).setActDim(2)
                    .setObservations(boxed(e.observations())).setActions(boxed(e.actions())).setRewards(boxed(e.rewards()))
                    .setBehaviourLogProbs(Collections.nCopies(e.length(), 0.0)).setUndiscountedReturn(e.undiscountedReturn())
                    .setContinuationReturn(e.continuationReturn()).build());
        }
        return out;
    }

    private void pipe(List<Trajectory> trajectories) {
        for (Trajectory t : trajectories) {
            trajectoriesIn.pipeInput(t.getTaskId(), MetastreamSerdes.trajectory().serializer().serialize(null, t));
        }
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
