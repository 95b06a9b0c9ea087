package io.metastream.cli;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.estimate.AdvantageBaseline;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaMethod;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.mujoco.task.ContinuousFamilies;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A continuous experiment config file (flat YAML {@code key: value}, the same format and validation
 * as {@link ExperimentFile}): an unknown key or a bad value is an {@link IllegalArgumentException}
 * whose message names the file and the key. Keys left out take the paper's value for the family
 * and algorithm ({@link ContinuousExperimentConfig#paper}, or {@link ContinuousExperimentConfig#pointNav}
 * for {@code pointnav}). The keys are the {@link ContinuousExperimentConfig} components in kebab-case
 * ({@code hidden} as {@code 128,128}, {@code method} as its label such as {@code maml-trpo}, default
 * {@code bomrl}), plus experiment-id, alg, seed, max-staleness, workers, partitions and validate-every.
 * {@code standardize-advantages} (BO-MRL only, default false) is written to the canonical text only when
 * true, and {@code advantage-baseline} (default {@code batch-mean}) only when {@code linear-feature}, so the
 * canonical text of every config made before the keys existed is unchanged. {@code config-format} chooses the
 * defaults of absent keys ({@link ContinuousExperimentConfig#FORMAT}): a config file without it means the newest
 * format (2: the authors' scripts), a recorded manifest without it format 1 ({@link RunConfig#parseRecorded}); the
 * keys format 2 introduced ({@code normalizer-warmup}, {@code normalizer-post}, {@code fisher-tasks}) are written from format 2 on, or when
 * set, so every format-1 canonical text is the text it was.
 *
 * @param experimentId the experiment id (topic prefix)
 * @param experiment   the validated continuous experiment
 * @param maxStaleness 0 = synchronous (the paper), k = asynchronous with k rounds in flight
 * @param workers      rollout workers started by {@code run}
 * @param partitions   partitions of each topic created by {@code topics}/{@code run}
 * @param validateEvery 0 = off; k = after training, {@code run}/{@code trainer} score every k-th meta-prior
 *                      version (and the last) on the family's validation goals and meta-test the best one
 *                      (EXPERIMENTS.md: keep the best meta-prior). Not part of the experiment (not canonical)
 * @param numerics     the numerics the experiment was computed with ({@link #NUMERICS})
 * @param configFormat the config format its absent keys were read with ({@link ContinuousExperimentConfig#FORMAT})
 */
public record ContinuousExperimentFile(String experimentId, ContinuousExperimentConfig experiment, int maxStaleness,
                                       int workers, int partitions, int validateEvery, int numerics,
                                       int configFormat) implements RunConfig {

    /**
     * The numerics this code computes (the {@code numerics} key). 1: metastream up to {@link #LAST_NUMERICS_1}
     * (tanh by fdlibm for single rows, a scalar exp-based form for blocks); 2: one vectorisable tanh everywhere
     * (FastTanh), which changes the last bits of every continuous result. A config file without the key means
     * this value; a recorded (manifest) config without it was made with numerics 1 ({@link RunConfig#parseRecorded}).
     */
    public static final int NUMERICS = 2;
    /** The last commit that computes numerics 1: replay, resume or re-evaluate such an experiment with it. */
    public static final String LAST_NUMERICS_1 = "abc6e45";

    /** Every key a continuous config file may hold, in {@link #canonicalText()} order (workers and validate-every last: not canonical). */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("experiment-id",
            "family", "alg", "method", "seed", "hidden", "init-log-std", "output-scale", "lambda", "inner-steps",
            "inner-learning-rate", "inner-max-kl", "pre-rollouts", "post-rollouts", "tasks-per-iteration", "gamma",
            "horizon", "continuation", "cg-iterations", "cg-damping", "meta-max-kl", "iterations", "test-steps",
            "eval-episodes", "fisher-states", "fisher-tasks", "normalize-observations", "normalizer-warmup", "normalizer-post", "inner-step-size", "meta-learning-rate",
            "promp-steps", "promp-clip", "promp-kl-weight", "standardize-advantages", "advantage-baseline", "numerics", "config-format",
            "max-staleness", "partitions", "workers", "validate-every")));

    /** Parses config text, then applies {@code key=value} overrides; errors name {@code where}. */
    public static ContinuousExperimentFile parse(String text, String where, List<String> overrides) {
        return fromMap(ExperimentFile.rawMap(text, where, overrides), where);
    }

    /**
     * The canonical config text: every key but {@code workers} and {@code validate-every} (how many workers run, and
     * how the result is evaluated, do not change
     * the experiment), in {@link #KEYS} order, with values that parse back to an equal config (doubles
     * in {@link Double#toString} form, which reads back bit for bit). The trainer records it in the manifest.
     */
    @Override
    public String canonicalText() {
        ContinuousExperimentConfig e = experiment;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment-id", experimentId);
        m.put("family", e.family());
        m.put("alg", e.algorithm().name().substring(3));
        m.put("method", e.method().label());
        m.put("seed", e.seed());
        m.put("hidden", Arrays.stream(e.hidden()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        m.put("init-log-std", e.initLogStd());
        m.put("output-scale", e.outputScale());
        m.put("lambda", e.lambda());
        m.put("inner-steps", e.innerSteps());
        m.put("inner-learning-rate", e.innerLearningRate());
        m.put("inner-max-kl", e.innerMaxKl());
        m.put("pre-rollouts", e.preRollouts());
        m.put("post-rollouts", e.postRollouts());
        m.put("tasks-per-iteration", e.tasksPerIteration());
        m.put("gamma", e.gamma());
        m.put("horizon", e.horizon());
        m.put("continuation", e.continuation());
        m.put("cg-iterations", e.cgIterations());
        m.put("cg-damping", e.cgDamping());
        m.put("meta-max-kl", e.metaMaxKl());
        m.put("iterations", e.iterations());
        m.put("test-steps", e.testSteps());
        m.put("eval-episodes", e.evalEpisodes());
        m.put("fisher-states", e.fisherStates());
        if (configFormat != 1 || e.fisherTasks() != 0) {   // keys of format 2: a format-1 text stays as recorded
            m.put("fisher-tasks", e.fisherTasks());
        }
        m.put("normalize-observations", e.normalizeObservations());
        if (configFormat != 1 || e.normalizerWarmup() != 0) {
            m.put("normalizer-warmup", e.normalizerWarmup());
        }
        if (configFormat != 1 || e.normalizerPost()) {
            m.put("normalizer-post", e.normalizerPost());
        }
        m.put("inner-step-size", e.innerStepSize());
        m.put("meta-learning-rate", e.metaLearningRate());
        m.put("promp-steps", e.prompSteps());
        m.put("promp-clip", e.prompClip());
        m.put("promp-kl-weight", e.prompKlWeight());
        if (e.standardizeAdvantages()) {   // written only when on, so configs and checkpoints made before the key still match
            m.put("standardize-advantages", true);
        }
        if (e.advantageBaseline() != AdvantageBaseline.BATCH_MEAN) {   // likewise: written only when not the default
            m.put("advantage-baseline", e.advantageBaseline().label());
        }
        if (numerics != 1) {   // numerics 1 predates the key: its recorded texts stay as they were
            m.put("numerics", numerics);
        }
        if (configFormat != 1) {   // format 1 predates the key, like numerics 1
            m.put("config-format", configFormat);
        }
        m.put("max-staleness", maxStaleness);
        m.put("partitions", partitions);
        return RunConfig.lines(m);
    }

    /** This file with {@code validate-every} replaced (not part of the canonical config). */
    public ContinuousExperimentFile withValidateEvery(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("validate-every must be >= 0, got " + every);
        }
        return new ContinuousExperimentFile(experimentId, experiment, maxStaleness, workers, partitions, every, numerics,
                configFormat);
    }

    @Override
    public ContinuousExperimentFile withExperimentId(String id) {
        return new ContinuousExperimentFile(id, experiment, maxStaleness, workers, partitions, validateEvery, numerics,
                configFormat);
    }

    /** The experiment's task family; a MuJoCo family without the MuJoCo library is a one-line error saying how to install it. */
    public ContinuousTaskFamily<?> family() {
        try {
            return ContinuousFamilies.byName(experiment.family());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("family " + experiment.family() + ": "
                    + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ").strip());
        }
    }

    /**
     * Also refuses ProMP, whose meta-step needs every task's PRE and POST batches (the trainer receives
     * meta-gradient records only): it runs in-process, through {@code compare}.
     */
    @Override
    public void requireRunnable() {
        requireCurrentNumerics("run");
        family();
        if (experiment.method() == MetaMethod.PROMP) {
            throw new IllegalArgumentException("key 'method': promp needs every task's PRE and POST batches at the"
                    + " meta-step, which the streaming trainer does not receive; run it in-process with 'metastream"
                    + " compare --config FILE --methods promp'");
        }
    }

    /**
     * Refuses to compute with numerics other than this code's: {@code what} (e.g. "replay") of an experiment
     * recorded with numerics 1 is a one-line error that names the code version that computes it.
     */
    public void requireCurrentNumerics(String what) {
        if (numerics != NUMERICS) {
            throw new IllegalArgumentException("experiment " + experimentId + " uses numerics " + numerics + " (recorded"
                    + " before the 'numerics' key existed, or set so), which this code does not compute: its results would"
                    + " differ in the last bits. To " + what + " it bit for bit, use metastream " + LAST_NUMERICS_1 + ": git"
                    + " worktree add ../metastream-numerics1 " + LAST_NUMERICS_1 + " (experiments/README.md)");
        }
    }

    /** Trajectory records of one synchronous round: (PRE + POST rollouts) × tasks. */
    double trajectoriesPerRound() {
        return (double) (experiment.preRollouts() + experiment.postRollouts()) * experiment.tasksPerIteration();
    }

    static ContinuousExperimentFile fromMap(Map<String, Object> raw, String where) {
        for (String key : raw.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known keys for a continuous"
                        + " experiment: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
        }
        ExperimentFile.Values v = new ExperimentFile.Values(raw, where);
        String family = v.string("family", null);
        ContinuousAlgorithm alg = v.parse("alg", ContinuousAlgorithm::parse, null);
        MetaMethod method = v.parse("method", MetaMethod::parse, MetaMethod.BOMRL);
        long seed = v.integer("seed", 0L);
        int format = v.int32("config-format", ContinuousExperimentConfig.FORMAT);
        if (format < 1 || format > ContinuousExperimentConfig.FORMAT) {
            throw new IllegalArgumentException(where + ": key 'config-format' must be 1 or "
                    + ContinuousExperimentConfig.FORMAT + ", got " + format + " (1: the defaults before 2026-12-08; "
                    + ContinuousExperimentConfig.FORMAT + ": the authors' scripts, experiments/README.md)");
        }
        ContinuousExperimentConfig p;
        try {
            p = PointNavigationFamily.NAME.equals(family) ? ContinuousExperimentConfig.pointNav(alg, seed)
                    : ContinuousExperimentConfig.paper(family, alg, seed, format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": key 'family': " + e.getMessage());
        }
        try {
            ContinuousExperimentConfig exp = new ContinuousExperimentConfig(family, alg, hidden(raw, where, p.hidden()),
                    v.real("init-log-std", p.initLogStd()), v.real("output-scale", p.outputScale()),
                    v.real("lambda", p.lambda()), integer(v, "inner-steps", p.innerSteps()),
                    v.real("inner-learning-rate", p.innerLearningRate()), v.real("inner-max-kl", p.innerMaxKl()),
                    integer(v, "pre-rollouts", p.preRollouts()), integer(v, "post-rollouts", p.postRollouts()),
                    integer(v, "tasks-per-iteration", p.tasksPerIteration()), v.real("gamma", p.gamma()),
                    integer(v, "horizon", p.horizon()), integer(v, "continuation", p.continuation()),
                    integer(v, "cg-iterations", p.cgIterations()), v.real("cg-damping", p.cgDamping()),
                    v.real("meta-max-kl", p.metaMaxKl()), integer(v, "iterations", p.iterations()),
                    integer(v, "test-steps", p.testSteps()), integer(v, "eval-episodes", p.evalEpisodes()),
                    integer(v, "fisher-states", p.fisherStates()),
                    bool(raw, where, "normalize-observations", p.normalizeObservations()), method,
                    v.real("inner-step-size", p.innerStepSize()), v.real("meta-learning-rate", p.metaLearningRate()),
                    integer(v, "promp-steps", p.prompSteps()), v.real("promp-clip", p.prompClip()),
                    v.real("promp-kl-weight", p.prompKlWeight()), seed,
                    bool(raw, where, "standardize-advantages", p.standardizeAdvantages()),
                    v.parse("advantage-baseline", AdvantageBaseline::parse, p.advantageBaseline()),
                    integer(v, "normalizer-warmup", p.normalizerWarmup()),
                    bool(raw, where, "normalizer-post", p.normalizerPost()), integer(v, "fisher-tasks", p.fisherTasks()));
            int maxStaleness = integer(v, "max-staleness", 0);
            int workers = integer(v, "workers", 2);
            int partitions = integer(v, "partitions", 3);
            int validateEvery = integer(v, "validate-every", 0);
            int numerics = integer(v, "numerics", NUMERICS);
            if (numerics < 1 || numerics > NUMERICS) {
                throw new IllegalArgumentException("key 'numerics' must be 1 or " + NUMERICS + ", got " + numerics);
            }
            if (maxStaleness < 0 || workers < 1 || partitions < 1 || validateEvery < 0) {
                throw new IllegalArgumentException(maxStaleness < 0 ? "max-staleness must be >= 0"
                        : workers < 1 ? "workers must be >= 1" : partitions < 1 ? "partitions must be >= 1"
                        : "validate-every must be >= 0 (0 = off), got " + validateEvery);
            }
            return new ContinuousExperimentFile(ExperimentFile.checkExperimentId(v.string("experiment-id", null), where), exp, maxStaleness, workers, partitions,
                    validateEvery, numerics, format);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static int integer(ExperimentFile.Values v, String key, int dflt) {
        return v.int32(key, dflt);
    }

    /** {@code hidden}: layer widths as {@code 128,128} (or a list {@code [128, 128]}). */
    /** Bounds of {@code hidden}: the paper's networks are 2 × 128 (and 100-100 for Frozen Lake-sized baselines). */
    static final int MAX_HIDDEN_LAYERS = 8;
    static final int MAX_HIDDEN_WIDTH = 2048;

    private static int[] hidden(Map<String, Object> raw, String where, int[] dflt) {
        Object o = raw.get("hidden");
        if (o == null) {
            return dflt;
        }
        String text = o instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(o).trim();
        if (text.startsWith("[") && text.endsWith("]")) {   // --set hidden=[128,128]
            text = text.substring(1, text.length() - 1);
        }
        try {
            int[] widths = Arrays.stream(text.split(",", -1)).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (widths.length == 0) {
                throw new NumberFormatException("empty");
            }
            if (widths.length > MAX_HIDDEN_LAYERS || Arrays.stream(widths).anyMatch(w -> w > MAX_HIDDEN_WIDTH)) {
                throw new IllegalArgumentException(where + ": key 'hidden' allows at most " + MAX_HIDDEN_LAYERS
                        + " layers of at most " + MAX_HIDDEN_WIDTH + " units, got '" + text + "'");
            }
            return widths;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": key 'hidden' must be comma-separated layer widths such as"
                    + " 128,128, got '" + text + "'");
        }
    }

    private static boolean bool(Map<String, Object> raw, String where, String key, boolean dflt) {
        Object o = raw.get(key);
        if (o == null) {
            return dflt;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(o).trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(where + ": key '" + key + "' must be true or false, got '" + o + "'");
        };
    }
}
