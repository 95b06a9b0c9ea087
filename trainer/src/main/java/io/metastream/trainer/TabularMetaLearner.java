package io.metastream.trainer;

import io.metastream.core.meta.MetaOptimizer;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.random.Purpose;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskMetaGradient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tabular BO-MRL (Frozen Lake) as {@link TabularMetaTrainer} runs it: φ₀ from the config, the
 * round's map indices and PRE seeds, and the meta-optimiser (Adam or SGD, stateful) on the
 * slot-ordered mean of the task meta-gradients. Meta-priors are {@code tabular-softmax [|S|, |A|]}.
 */
final class TabularMetaLearner implements MetaLearner {

    private final TabularExperimentConfig exp;
    private final FrozenLakeFamily family;
    private final int nS;
    private final MetaOptimizer optimizer;

    TabularMetaLearner(TabularExperimentConfig exp) {
        this.exp = exp;
        this.family = FrozenLakeFamily.byName(exp.family());
        this.nS = family.testTasks().get(0).nStates();
        this.optimizer = MetaOptimizer.of(exp.optimizer(), exp.metaLearningRate());
    }

    @Override
    public double[] initialPhi() {
        return TabularMetaTrainer.initialPhi(exp, nS, FrozenLakeMap.N_ACTIONS);
    }

    @Override
    public PolicyParams.Builder prior(double[] phi) {
        return PolicyParams.newBuilder().setPolicyType("tabular-softmax").setShape(List.of(nS, FrozenLakeMap.N_ACTIONS))
                .setParams(DoubleList.copyOf(phi));
    }

    @Override
    public List<Collection> collections(int round) {
        List<Integer> tasks = TabularMetaTrainer.tasksOf(exp, family, round);
        List<Collection> out = new ArrayList<>(tasks.size());
        for (int slot = 0; slot < tasks.size(); slot++) {
            out.add(new Collection(family.testTasks().get(tasks.get(slot)).toString(), exp.episodes(),
                    TabularBoMrl.collectionSeed(exp.seed(), Purpose.PRE, round, slot)));
        }
        return out;
    }

    @Override
    public Update update(double[] phi, List<TaskMetaGradient> slotOrder) {
        List<double[]> grads = new ArrayList<>(slotOrder.size());
        for (TaskMetaGradient g : slotOrder) {
            grads.add(DoubleList.toArray(g.getGradient()));
        }
        double[] mean = TabularBoMrl.average(grads);
        double norm = 0;
        double cg = 0;
        double kl = 0;
        for (double x : mean) {
            norm += x * x;
        }
        for (TaskMetaGradient g : slotOrder) {
            cg += g.getCgResidual() / slotOrder.size();
            kl += g.getKlAdaptedPrior() / slotOrder.size();
        }
        return new Update(optimizer.step(phi, mean), Map.of("gradientNorm", Math.sqrt(norm), "cgResidual", cg,
                "klAdaptedPrior", kl));
    }

    @Override
    public double[] state() {
        return optimizer.state();
    }

    @Override
    public void restore(double[] state) {
        optimizer.restore(state);
    }
}
