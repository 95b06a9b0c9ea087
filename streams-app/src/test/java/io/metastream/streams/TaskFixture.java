package io.metastream.streams;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.random.Purpose;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One task of one round computed the reference loop's way (TabularMetaTrainer): PRE episodes with
 * φ, θ = adapt, POST episodes with θ, the task's meta-gradient; plus the Avro records a trainer
 * and workers would publish for it.
 */
final class TaskFixture {

    static final int N_S = 16;
    static final int N_A = 4;
    static final String TASK_ID = "task-3";
    static final String TASK_SPEC = "high:SFFF/FHFH/FFFH/HFFG";
    static final String PRIOR_ID = "prior/v0";
    static final int ROUND = 0;

    final String experimentId;
    final TabularExperimentConfig config;
    final double[] phi = new double[N_S * N_A];
    final long preSeed;
    final List<TabularTrajectory> preEpisodes;
    final double[] theta;
    final List<TabularTrajectory> postEpisodes;
    final double[] gradient;

    TaskFixture(String experimentId, TabularExperimentConfig config) {
        this.experimentId = experimentId;
        this.config = config;
        for (int i = 0; i < phi.length; i++) {
            phi[i] = config.phiInit() + 0.05 * ((i * 7) % 5 - 2);
        }
        TabularBoMrl bomrl = new TabularBoMrl(config, N_S, N_A, FrozenLakeMap.GAMMA);
        FrozenLake env = new FrozenLake(FrozenLakeMap.parse(TASK_SPEC));
        preSeed = TabularBoMrl.collectionSeed(config.seed(), Purpose.PRE, ROUND, 0);
        preEpisodes = TabularRollouts.collect(env, new TabularSoftmaxPolicy(N_S, N_A, phi), preSeed, 0, config.episodes());
        TabularEstimates preEst = bomrl.estimate(preEpisodes, phi);
        theta = bomrl.adapt(phi, preEst, config.lambdaTrain());
        postEpisodes = TabularRollouts.collect(env, new TabularSoftmaxPolicy(N_S, N_A, theta),
                TabularBoMrl.postSeed(preSeed), 0, config.episodes());
        gradient = bomrl.taskMetaGradient(phi, theta, preEst, bomrl.estimate(postEpisodes, theta));
    }

    static TaskFixture paper(String experimentId) {
        return new TaskFixture(experimentId, TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 11));
    }

    /** The paper's setting with a smaller batch, for the broker test. */
    static TaskFixture small(String experimentId, int episodes) {
        TabularExperimentConfig p = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 11);
        return new TaskFixture(experimentId, new TabularExperimentConfig(p.family(), p.alg(), p.lambdaTrain(),
                p.lambdaTest(), p.iterations(), p.tasksPerIteration(), episodes, p.sarsaStep(), p.sarsaSweeps(),
                p.untriedActions(), p.metaLearningRate(), p.optimizer(), p.phiInit(), p.hypergradient(), p.testSteps(), p.pgStepSize(),
                p.seed()));
    }

    AdapterConfig adapterConfig() {
        return AdapterConfig.of(experimentId, config);
    }

    String adaptedId() {
        return PRIOR_ID + "/adapted/" + TASK_ID + "/r" + ROUND;
    }

    double preReturn() {
        return TabularMetaTrainer.meanReturn(preEpisodes);
    }

    double postReturn() {
        return TabularMetaTrainer.meanReturn(postEpisodes);
    }

    PolicyParams prior() {
        return PolicyParams.newBuilder().setPolicyId(PRIOR_ID).setVersion(0).setKind(PolicyKind.META_PRIOR)
                .setPolicyType("tabular-softmax").setShape(List.of(N_S, N_A)).setParams(boxed(phi))
                .setRound(ROUND).build();
    }

    RolloutAssignment preAssignment() {
        return RolloutAssignment.newBuilder().setExperimentId(experimentId).setAssignmentId(TASK_ID + "/r0/PRE")
                .setRound(ROUND).setTaskId(TASK_ID).setTaskSpec(TASK_SPEC).setPhase(Phase.PRE).setEvalStep(0)
                .setPolicyId(PRIOR_ID).setPolicyVersion(0).setEpisodeStart(0).setEpisodeCount(config.episodes())
                .setSeed(preSeed).build();
    }

    List<Trajectory> preTrajectories() {
        return avro(preEpisodes, Phase.PRE, TASK_ID + "/r0/PRE", PRIOR_ID, phi);
    }

    List<Trajectory> postTrajectories() {
        return avro(postEpisodes, Phase.POST, TASK_ID + "/r0/POST", adaptedId(), theta);
    }

    private List<Trajectory> avro(List<TabularTrajectory> episodes, Phase phase, String assignmentId, String policyId,
                                  double[] logits) {
        TabularSoftmaxPolicy policy = new TabularSoftmaxPolicy(N_S, N_A, logits);
        List<Trajectory> out = new ArrayList<>();
        for (TabularTrajectory e : episodes) {
            List<Double> logProbs = new ArrayList<>();
            for (int t = 0; t < e.length(); t++) {
                logProbs.add(policy.logProb(e.states()[t], e.actions()[t]));
            }
            out.add(Trajectory.newBuilder().setExperimentId(experimentId).setAssignmentId(assignmentId)
                    .setTaskId(TASK_ID).setRound(ROUND).setPhase(phase).setEvalStep(0).setEpisodeIndex(e.episode())
                    .setWorkerId("worker-1").setPolicyId(policyId).setPolicyVersion(0).setObsDim(1).setActDim(1)
                    .setObservations(Arrays.stream(e.states()).asDoubleStream().boxed().toList())
                    .setActions(Arrays.stream(e.actions()).asDoubleStream().boxed().toList())
                    .setRewards(boxed(e.rewards())).setBehaviourLogProbs(logProbs)
                    .setUndiscountedReturn(e.undiscountedReturn()).build());
        }
        return out;
    }

    static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
