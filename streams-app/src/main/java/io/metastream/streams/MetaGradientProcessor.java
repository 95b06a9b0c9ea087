package io.metastream.streams;

import java.util.Map;
import java.util.function.Supplier;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * The task's hypergradient once its POST batch is complete (ARCHITECTURE.md data flow, step 5).
 * Continuous experiments: {@link ContinuousSteps#metaGradient}. Tabular:
 * {@code TabularBoMrl.taskMetaGradient(φ, θ, Ê_pre(φ), Ê_post(θ))}, exactly as the reference loop
 * computes it (the PRE estimates are recomputed from the stored PRE episodes, which is
 * deterministic). The tabular lower level is solved directly, so the CG residual is 0. Afterwards
 * the task-round's episodes, adaptation and PRE assignments are removed.
 */
final class MetaGradientProcessor implements Processor<String, BatchKey, String, TaskMetaGradient> {

    private static final Logger LOG = LoggerFactory.getLogger(MetaGradientProcessor.class);

    private final AdapterConfig config;
    private final ContinuousSteps continuous;
    private final TaskTimings timings;
    private final PreEstimates preEstimates;
    private ProcessorContext<String, TaskMetaGradient> context;
    private EpisodeStore episodes;
    private KeyValueStore<String, PolicyParams> adaptations;
    private KeyValueStore<String, ?> assignments;

    MetaGradientProcessor(AdapterConfig config, TaskTimings timings, PreEstimates preEstimates) {
        this.preEstimates = preEstimates;
        this.config = config;
        this.timings = timings;
        this.continuous = new ContinuousSteps(config);
    }

    @Override
    public void init(ProcessorContext<String, TaskMetaGradient> context) {
        this.context = context;
        this.episodes = new EpisodeStore(context.getStateStore(AdapterTopology.EPISODES_STORE));
        this.adaptations = context.getStateStore(AdapterTopology.ADAPTATIONS_STORE);
        this.assignments = context.getStateStore(AdapterTopology.PRE_ASSIGNMENTS_STORE);
    }

    @Override
    public void process(Record<String, BatchKey> record) {
        BatchKey postBatch = record.value();
        BatchKey preBatch = postBatch.withPhase(Phase.PRE);
        PolicyParams prior = adaptations.get(preBatch.priorKey());
        PolicyParams adapted = adaptations.get(preBatch.adaptedKey());
        if (prior == null || adapted == null) {
            throw new IllegalStateException("POST batch " + postBatch + " is complete but the task has no adaptation");
        }
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        List<Trajectory> preRecords = episodes.batch(preBatch);
        // read when the record is built, after the computation: the hypergradient's compute time included
        Supplier<Map<String, Double>> taskTimings = () -> timings.hypergradient(preBatch, record.timestamp(), startMillis,
                startNanos);
        TaskMetaGradient result;
        try {
            result = config.isContinuous()
                    ? continuous.metaGradient(prior, adapted, preRecords, episodes.batch(postBatch), postBatch, taskTimings)
                    : tabular(prior, adapted, preRecords, episodes.batch(postBatch), preBatch, postBatch, taskTimings);
        } catch (IllegalArgumentException e) {   // records that fit the checks but not core's contracts
            LOG.error("POST batch {}: no meta-gradient, task abandoned: {}", postBatch, e.getMessage());
            return;
        }
        context.forward(new Record<>(postBatch.taskId(), result, record.timestamp()), AdapterTopology.META_GRADIENTS_SINK);

        preRecords.stream().map(Trajectory::getAssignmentId).distinct().forEach(assignments::delete);
        episodes.delete(preBatch);
        episodes.delete(postBatch);
        adaptations.delete(preBatch.priorKey());
        adaptations.delete(preBatch.adaptedKey());
    }

    private TaskMetaGradient tabular(PolicyParams prior, PolicyParams adapted, List<Trajectory> preRecords,
                                     List<Trajectory> postRecords, BatchKey preBatch, BatchKey postBatch,
                                     Supplier<Map<String, Double>> taskTimings) {
        List<TabularTrajectory> pre = EpisodeStore.tabular(preRecords);
        List<TabularTrajectory> post = EpisodeStore.tabular(postRecords);
        double[] phi = TabularPolicies.logits(prior);
        double[] theta = TabularPolicies.logits(adapted);
        int nS = TabularPolicies.states(prior);
        int nA = TabularPolicies.actions(prior);
        TabularBoMrl bomrl = new TabularBoMrl(config.tabular(), nS, nA, FrozenLakeMap.GAMMA);
        TabularEstimates kept = preEstimates.take(preBatch, prior.getPolicyId());
        TabularEstimates preEst = kept != null ? kept : bomrl.estimate(pre, phi);
        TabularEstimates postEst = bomrl.estimate(post, theta);
        double[] gradient = bomrl.taskMetaGradient(phi, theta, preEst, postEst);

        return TaskMetaGradient.newBuilder()
                .setExperimentId(config.experimentId())
                .setRound(postBatch.round())
                .setTaskId(postBatch.taskId())
                .setPolicyVersion(adapted.getVersion())
                .setAdaptedPolicyId(adapted.getPolicyId())
                .setGradient(DoubleList.copyOf(gradient))
                .setCgResidual(0.0)
                .setKlAdaptedPrior(meanKlAdaptedPrior(theta, phi, nS, nA))
                .setPreReturn(TabularMetaTrainer.meanReturn(pre))
                .setPostReturn(TabularMetaTrainer.meanReturn(post))
                .setTimings(taskTimings.get())
                .build();
    }

    /** (1/|S|) Σ_s KL(π_θ(·|s) ‖ π_φ(·|s)), each term core's reverse-KL proximity (ALG2's D_s). */
    static double meanKlAdaptedPrior(double[] theta, double[] phi, int nS, int nA) {
        double[] pTheta = TabularSoftmaxPolicy.probabilities(theta, nS, nA);
        double[] pPhi = TabularSoftmaxPolicy.probabilities(phi, nS, nA);
        double sum = 0;
        for (int s = 0; s < nS; s++) {
            int from = s * nA;
            int to = from + nA;
            sum += TabularAlgorithm.ALG2.proximity().value(Arrays.copyOfRange(theta, from, to),
                    Arrays.copyOfRange(phi, from, to), Arrays.copyOfRange(pTheta, from, to),
                    Arrays.copyOfRange(pPhi, from, to));
        }
        return sum / nS;
    }
}
