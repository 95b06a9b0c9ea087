package io.metastream.trainer;

import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.linalg.Dense;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTrainer;
import io.metastream.core.meta.ContinuousMethod;
import io.metastream.core.meta.NormalizerWarmUp;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.random.Purpose;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.mujoco.task.ContinuousFamilies;
import io.metastream.schemas.ContinuousTaskTerms;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskMetaGradient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Continuous meta-learning as {@link ContinuousMetaTrainer} runs it, for BO-MRL and the MAML-family
 * baselines MAML-VPG, MAML-TRPO and E-MAML ({@link ContinuousMethod}; ProMP needs the POST batches at the
 * meta-step and is refused): φ₀ = {@link ContinuousMethod#initialPhi},
 * the round's tasks by {@link ContinuousMetaTrainer#tasksOf} (spec = {@code family.spec(task)},
 * {@code preRollouts} episodes, PRE seed (seed, PRE, round, slot)), and the method's meta-step
 * ({@link ContinuousMethod#metaUpdate}: TRPO, or Adam for MAML-VPG) on the task results rebuilt from the meta-gradient records in
 * slot order, after which the observation moments absorb the round's PRE moments
 * ({@link ContinuousBoMrl#mergeMoments}). Meta-priors are {@code gaussian-mlp
 * [obsDim, hidden…, actDim]} carrying the moments in force for the rounds they collect. The learner
 * state is the moments followed by the outer optimiser's state (MAML-VPG's Adam), so a resumed trainer
 * continues bit for bit.
 */
final class ContinuousMetaLearner implements MetaLearner {

    private final ContinuousExperimentConfig exp;
    private final ContinuousTaskFamily<?> family;
    private final ContinuousMethod method;
    private RunningMoments moments;

    ContinuousMetaLearner(ContinuousExperimentConfig exp) {
        this.exp = exp;
        this.family = ContinuousFamilies.byName(exp.family());
        this.method = ContinuousMethod.of(exp, family.obsDim(), family.actDim());
        if (method.needsBatches()) {
            throw new IllegalArgumentException("method " + exp.method().label() + " needs every task's PRE and POST batches at"
                    + " the meta-step, which the streaming trainer does not receive: it runs in-process only");
        }
    }

    /**
     * The observation moments accumulated over the rounds updated so far: at the start, those of the normaliser's
     * warm-up ({@link NormalizerWarmUp}, computed here on first use unless a decision's state was restored).
     */
    RunningMoments moments() {
        if (moments == null) {
            moments = NormalizerWarmUp.moments(exp, family, method.initialPhi());
        }
        return moments;
    }

    @Override
    public double[] initialPhi() {
        return method.initialPhi();
    }

    @Override
    public PolicyParams.Builder prior(double[] phi) {
        List<Integer> shape = new ArrayList<>();
        shape.add(family.obsDim());
        Arrays.stream(exp.hidden()).forEach(shape::add);
        shape.add(family.actDim());
        RunningMoments m = moments();
        boolean empty = m.count() == 0;
        return PolicyParams.newBuilder().setPolicyType("gaussian-mlp").setShape(shape)
                .setParams(DoubleList.copyOf(phi)).setObservationCount(m.count())
                .setObservationMean(empty ? List.of() : DoubleList.copyOf(m.mean()))
                .setObservationM2(empty ? List.of() : DoubleList.copyOf(m.m2()));
    }

    @Override
    public List<Collection> collections(int round) {
        return collections(family, round);
    }

    private <T> List<Collection> collections(ContinuousTaskFamily<T> f, int round) {
        List<T> tasks = ContinuousMetaTrainer.tasksOf(exp, f, round);
        List<Collection> out = new ArrayList<>(tasks.size());
        for (int slot = 0; slot < tasks.size(); slot++) {
            out.add(new Collection(f.spec(tasks.get(slot)), exp.preRollouts(),
                    TabularBoMrl.collectionSeed(exp.seed(), Purpose.PRE, round, slot)));
        }
        return out;
    }

    @Override
    public Update update(double[] phi, List<TaskMetaGradient> slotOrder) {
        List<ContinuousBoMrl.TaskResult> results = new ArrayList<>(slotOrder.size());
        for (TaskMetaGradient g : slotOrder) {
            results.add(taskResult(g));
        }
        ContinuousBoMrl.MetaUpdate step = method.metaUpdate(phi, results, List.of());
        moments = ContinuousBoMrl.mergeMoments(moments(), results);
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("trpoAccepted", step.trpo().accepted() ? 1.0 : 0.0);
        d.put("trpoHalvings", (double) step.trpo().halvings());
        d.put("trpoKl", step.trpo().kl());
        d.put("gradientNorm", Dense.norm(step.meanMetaGradient()));
        d.put("cgResidual", mean(slotOrder, TaskMetaGradient::getCgResidual));
        d.put("klAdaptedPrior", mean(slotOrder, TaskMetaGradient::getKlAdaptedPrior));
        return new Update(step.phi(), d);
    }

    @Override
    public double[] state() {
        RunningMoments m = moments();
        int d = m.dim();
        double[] optimizer = method.optimizerState();
        double[] out = new double[1 + 2 * d + optimizer.length];
        out[0] = m.count();
        System.arraycopy(m.mean(), 0, out, 1, d);
        System.arraycopy(m.m2(), 0, out, 1 + d, d);
        System.arraycopy(optimizer, 0, out, 1 + 2 * d, optimizer.length);
        return out;
    }

    @Override
    public void restore(double[] state) {
        int d = family.obsDim();
        if (state.length < 1 + 2 * d || state[0] < 0 || state[0] != Math.rint(state[0])) {
            throw new IllegalArgumentException("not the observation moments of a " + d + "-dimensional " + exp.family()
                    + " observation: " + state.length + " values");
        }
        method.restoreOptimizer(Arrays.copyOfRange(state, 1 + 2 * d, state.length));
        moments = new RunningMoments((long) state[0], Arrays.copyOfRange(state, 1, 1 + d),
                Arrays.copyOfRange(state, 1 + d, 1 + 2 * d));
    }

    /** The core value of a meta-gradient record (everything {@link ContinuousBoMrl#taskResult} returned). */
    static ContinuousBoMrl.TaskResult taskResult(TaskMetaGradient g) {
        ContinuousTaskTerms c = g.getContinuous();
        if (c == null) {
            throw new IllegalStateException("meta-gradient of task " + g.getTaskId() + " (round " + g.getRound()
                    + ") has no continuous terms: was it computed by a tabular adapter?");
        }
        int dim = c.getStateDim();
        double[] states = DoubleList.toArray(c.getStates());
        RunningMoments pre = new RunningMoments((long) c.getObservationCount(), DoubleList.toArray(c.getObservationMean()),
                DoubleList.toArray(c.getObservationM2()));
        return new ContinuousBoMrl.TaskResult(DoubleList.toArray(g.getGradient()), DoubleList.toArray(c.getCgSolution()),
                DoubleList.toArray(c.getAdaptedParams()), g.getCgResidual(), g.getKlAdaptedPrior(), g.getPreReturn(),
                g.getPostReturn(), pre, states.length / dim, states);
    }

    private static double mean(List<TaskMetaGradient> gs, java.util.function.ToDoubleFunction<TaskMetaGradient> f) {
        double s = 0;
        for (TaskMetaGradient g : gs) {
            s += f.applyAsDouble(g);
        }
        return s / gs.size();
    }
}
