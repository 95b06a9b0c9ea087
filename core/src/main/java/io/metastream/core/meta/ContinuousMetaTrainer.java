package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.ContinuousLowerLevel;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.linalg.Dense;
import io.metastream.core.random.Purpose;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.TaskEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The in-process reference loop of continuous BO-MRL (synchronous: the paper's algorithm). Each
 * iteration r draws its tasks with {@code Seeds.rng(seed, TASK_SAMPLING, r)}; for slot k it collects
 * PRE rollouts with π_φ (collection seed (PRE, r, k)), adapts θ*, collects POST rollouts with π_θ*
 * (seed {@link TabularBoMrl#postSeed} of the PRE seed) and computes the task's result
 * ({@link ContinuousBoMrl#taskResult}); then one TRPO meta-step on the slot-ordered results, and the
 * observation moments absorb the round's PRE moments in slot order (the normaliser of round r is
 * that of rounds 0..r−1; round 0 uses the identity). The MAML-family baselines ({@link MetaMethod},
 * {@link ContinuousMaml}) run the same loop with their inner step in place of Alg and their outer
 * step in place of BO-MRL's TRPO step; ProMP's outer step also gets each slot's PRE and POST batches.
 */
public final class ContinuousMetaTrainer<T> {

    /**
     * Progress of one meta-iteration (means over the meta-batch).
     *
     * @param preReturn    mean undiscounted return of the PRE rollouts (π_φ)
     * @param postReturn   mean undiscounted return of the POST rollouts (π_θ*)
     * @param gradientNorm ‖mean_τ metaGradient_τ‖₂
     * @param cgResidual   mean hypergradient CG residual
     * @param klAdapted    mean KL(π_θ* ‖ π_φ) over PRE states
     * @param innerSteps   mean Adam steps taken by the lower level (fewer when it stopped early)
     * @param trpoAccepted whether the meta line search accepted a step
     * @param trpoHalvings halvings of the accepted step (maxHalvings when rejected)
     * @param trpoKl       KL(π_φold ‖ π_φnew) of the meta-step
     * @param phi          φ after the step
     */
    public record IterationStats(int iteration, double preReturn, double postReturn, double gradientNorm,
                                 double cgResidual, double klAdapted, double innerSteps, boolean trpoAccepted,
                                 int trpoHalvings, double trpoKl, double[] phi) {
    }

    /** The trained meta-prior, the untrained φ₀, the final normaliser's moments and the history. */
    public record Result(double[] phi, double[] initialPhi, RunningMoments moments, ObservationNormalizer normalizer,
                         List<IterationStats> history) {
    }

    private final ContinuousExperimentConfig config;
    private final ContinuousTaskFamily<T> family;

    public ContinuousMetaTrainer(ContinuousExperimentConfig config, ContinuousTaskFamily<T> family) {
        if (!config.family().equals(family.name())) {
            throw new IllegalArgumentException("config is for family '" + config.family() + "' but the family is '"
                    + family.name() + "'");
        }
        this.config = config;
        this.family = family;
    }

    /** The tasks of iteration {@code round}. */
    public static <T> List<T> tasksOf(ContinuousExperimentConfig config, ContinuousTaskFamily<T> family, int round) {
        return family.sampleTasks(config.tasksPerIteration(), Seeds.rng(config.seed(), Purpose.TASK_SAMPLING.code(), round));
    }

    /**
     * Meta-trains with {@code config.method()}: BO-MRL ({@link ContinuousBoMrl}) or a MAML-family
     * baseline ({@link ContinuousMaml}; {@code innerSteps} is then 1 and {@code cgResidual} 0). The loop,
     * seeds, normaliser and task draws are the same for every method.
     */
    public Result train(Consumer<IterationStats> progress) {
        return train(progress, 1);
    }

    /**
     * {@link #train(Consumer)} with the tasks of each round on {@code threads} threads at once (each with its own
     * method object, rollouts and environment), as the pipeline runs them on its workers and adapter threads. A
     * task's numbers do not depend on the thread that computes them and the meta-step takes the results in slot
     * order, so every thread count gives the same meta-priors bit for bit.
     */
    public Result train(Consumer<IterationStats> progress, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ContinuousMethod steps = ContinuousMethod.of(config, family.obsDim(), family.actDim());
        double[] phi0 = steps.initialPhi();
        double[] phi = phi0.clone();
        RunningMoments moments = NormalizerWarmUp.moments(config, family, phi0);
        List<IterationStats> history = new ArrayList<>();
        ThreadLocal<TaskSteps> perThread = ThreadLocal.withInitial(() -> {
            ContinuousMethod m = ContinuousMethod.of(config, family.obsDim(), family.actDim());
            return new TaskSteps(m, m.trainingRollouts());
        });
        java.util.concurrent.ExecutorService pool = threads == 1 ? null
                : java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "reference-loop-task");
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (int round = 0; round < config.iterations(); round++) {
                ObservationNormalizer normalizer = steps.normalizer(moments);
                List<T> tasks = tasksOf(config, family, round);
                List<SlotResult> slots = new ArrayList<>(tasks.size());
                if (pool == null) {
                    for (int slot = 0; slot < tasks.size(); slot++) {
                        slots.add(task(perThread.get(), tasks.get(slot), round, slot, phi, normalizer));
                    }
                } else {
                    List<java.util.concurrent.Future<SlotResult>> futures = new ArrayList<>(tasks.size());
                    for (int slot = 0; slot < tasks.size(); slot++) {
                        int s = slot;
                        int r = round;
                        double[] at = phi;
                        futures.add(pool.submit(() -> task(perThread.get(), tasks.get(s), r, s, at, normalizer)));
                    }
                    for (java.util.concurrent.Future<SlotResult> f : futures) {
                        slots.add(join(f));
                    }
                }
                List<ContinuousBoMrl.TaskResult> results = new ArrayList<>(tasks.size());
                List<ProMpObjective.Task> batches = new ArrayList<>(tasks.size());
                double innerSteps = 0;
                for (SlotResult r : slots) {
                    results.add(r.result());
                    if (r.batches() != null) {
                        batches.add(r.batches());
                    }
                    innerSteps += (double) r.innerSteps() / tasks.size();
                }
                ContinuousBoMrl.MetaUpdate update = steps.metaUpdate(phi, results, batches);
                phi = update.phi();
                moments = ContinuousBoMrl.mergeMoments(moments, results);
                IterationStats stats = new IterationStats(round, mean(results, ContinuousBoMrl.TaskResult::preReturn),
                        mean(results, ContinuousBoMrl.TaskResult::postReturn), Dense.norm(update.meanMetaGradient()),
                        mean(results, ContinuousBoMrl.TaskResult::cgResidual), mean(results, ContinuousBoMrl.TaskResult::klAdaptedPrior),
                        innerSteps, update.trpo().accepted(), update.trpo().halvings(), update.trpo().kl(), phi.clone());
                history.add(stats);
                progress.accept(stats);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new Result(phi, phi0, moments, steps.normalizer(moments), history);
    }

    /** A thread's method object and rollouts (neither is thread-safe). */
    private record TaskSteps(ContinuousMethod method, ContinuousRollouts rollouts) {
    }

    /** One slot's outcome: its result, ProMP's batches (null unless the method needs them), the inner steps taken. */
    private record SlotResult(ContinuousBoMrl.TaskResult result, ProMpObjective.Task batches, int innerSteps) {
    }

    /** PRE collection with π_φ, adaptation, POST collection with π_θ* and the task's result, for one slot. */
    private SlotResult task(TaskSteps own, T task, int round, int slot, double[] phi, ObservationNormalizer normalizer) {
        ContinuousMethod steps = own.method();
        ContinuousRollouts rollouts = own.rollouts();
        TaskEnvironment<T, double[], double[]> env = family.newEnvironment(task, rollouts.environmentHorizon());
        try {
            long preSeed = TabularBoMrl.collectionSeed(config.seed(), Purpose.PRE, round, slot);
            List<ContinuousTrajectory> pre = rollouts.collect(env, phi, normalizer, preSeed, 0,
                    config.preRollouts(), ContinuousRollouts.Mode.STOCHASTIC);
            ContinuousBatch preBatch = steps.estimate(pre, normalizer);
            ContinuousLowerLevel.Solution adapted = steps.adapt(phi, preBatch);
            List<ContinuousTrajectory> post = rollouts.collect(env, adapted.theta(), normalizer,
                    TabularBoMrl.postSeed(preSeed), 0, config.postRollouts(), ContinuousRollouts.Mode.STOCHASTIC);
            ContinuousBoMrl.TaskResult result = steps.taskResult(phi, adapted.theta(), pre, post, normalizer);
            ProMpObjective.Task batches = steps.needsBatches()
                    ? new ProMpObjective.Task(preBatch, steps.estimate(post, normalizer)) : null;
            return new SlotResult(result, batches, adapted.steps());
        } finally {
            ContinuousTaskFamily.close(env);
        }
    }

    private static <R> R join(java.util.concurrent.Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a task of the round was computed", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static double mean(List<ContinuousBoMrl.TaskResult> results,
                               java.util.function.ToDoubleFunction<ContinuousBoMrl.TaskResult> f) {
        double s = 0;
        for (ContinuousBoMrl.TaskResult r : results) {
            s += f.applyAsDouble(r);
        }
        return s / results.size();
    }
}
