package io.metastream.cli;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;
import io.metastream.core.meta.HypergradientKind;
import io.metastream.core.meta.TabularExperimentConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment config file (YAML, flat {@code key: value}), validated at start: an unknown key or
 * a bad value is an {@link IllegalArgumentException} whose message names the file and the key.
 * Keys left out take the paper's value for the family and algorithm ({@link TabularExperimentConfig#paper}).
 * {@code untried-actions} (default {@code zero}, the paper's) is written to the canonical text only
 * when {@code state-value}, so the canonical text of every config made before the key existed is
 * unchanged.
 *
 * @param experimentId the experiment id (topic prefix)
 * @param experiment   the validated tabular experiment
 * @param maxStaleness 0 = synchronous (the paper), k = asynchronous with k rounds in flight
 * @param workers      rollout workers started by {@code run}/{@code demo}
 * @param partitions   partitions of each topic created by {@code topics}/{@code run}
 */
public record ExperimentFile(String experimentId, TabularExperimentConfig experiment, int maxStaleness, int workers,
                             int partitions) implements RunConfig {

    /** Every key a config file may hold. */
    public static final Set<String> KEYS = Set.of("experiment-id", "family", "alg", "seed", "iterations",
            "tasks-per-iteration", "episodes", "lambda-train", "lambda-test", "sarsa-step", "sarsa-sweeps",
            "untried-actions",
            "meta-learning-rate", "optimizer", "phi-init", "hypergradient", "test-steps", "pg-step-size", "max-staleness",
            "workers", "partitions");

    /** Loads {@code file}, then applies {@code key=value} overrides. */
    public static ExperimentFile load(Path file, List<String> overrides) {
        String where = "config " + file;
        try {
            return parse(Files.readString(file), where, overrides);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Parses config text (as in a file or a manifest), then applies {@code key=value} overrides; errors name {@code where}. */
    public static ExperimentFile parse(String text, String where, List<String> overrides) {
        return fromMap(rawMap(text, where, overrides), where);
    }

    /** The longest config text read (characters): configs are a few dozen short lines. */
    static final int MAX_CONFIG_CHARS = 1_000_000;
    /** The longest value of one key (characters). */
    static final int MAX_VALUE_CHARS = 10_000;

    /**
     * Upper bounds of the integer keys that size something (topics, threads, loops, batches): a value above
     * one is an error naming the key before anything is created. Generous for every published setting.
     */
    static final Map<String, Long> BOUNDS = Map.ofEntries(Map.entry("iterations", 10_000_000L),
            Map.entry("tasks-per-iteration", 10_000L), Map.entry("episodes", 1_000_000L), Map.entry("sarsa-sweeps", 10_000L),
            Map.entry("test-steps", 1_000L), Map.entry("workers", 256L), Map.entry("partitions", 256L),
            Map.entry("max-staleness", 1_000L), Map.entry("pre-rollouts", 100_000L), Map.entry("post-rollouts", 100_000L),
            Map.entry("inner-steps", 1_000_000L), Map.entry("cg-iterations", 10_000L), Map.entry("horizon", 100_000L),
            Map.entry("continuation", 100_000L), Map.entry("eval-episodes", 100_000L), Map.entry("fisher-states", 10_000_000L),
            Map.entry("normalizer-warmup", 100_000L), Map.entry("fisher-tasks", 100_000L),
            Map.entry("promp-steps", 10_000L), Map.entry("validate-every", 10_000_000L));

    /**
     * An experiment id is a topic prefix and a file name: letters, digits, '.', '_' and '-', starting with a
     * letter or digit (so never '.' or '..'), at most {@value #MAX_ID_CHARS} characters, which leaves room for
     * the longest derived name (Kafka Streams' changelog topics of the adapter) inside Kafka's 249.
     */
    static final int MAX_ID_CHARS = 100;

    /** Throws the one-line error for an experiment id that cannot name topics and directories; returns it otherwise. */
    static String checkExperimentId(String id, String where) {
        if (id != null && (id.length() > MAX_ID_CHARS || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))) {
            throw new IllegalArgumentException(where + ": key 'experiment-id' must be 1.." + MAX_ID_CHARS + " letters, digits,"
                    + " '.', '_' or '-' starting with a letter or digit, got '"
                    + (id.length() > 60 ? id.substring(0, 60) + "…' (" + id.length() + " characters)" : id + "'"));
        }
        return id;
    }

    /** The {@code key → value} map of config text with overrides applied, not yet validated. */
    static Map<String, Object> rawMap(String text, String where, List<String> overrides) {
        Map<String, Object> raw = new LinkedHashMap<>();
        if (text.length() > MAX_CONFIG_CHARS) {
            throw new IllegalArgumentException(where + ": " + text.length() + " characters, a config has at most "
                    + MAX_CONFIG_CHARS);
        }
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            Object doc = new Yaml(new SafeConstructor(options)).load(text);
            if (doc != null && !(doc instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(where + ": expected 'key: value' lines, got " + doc.getClass().getSimpleName());
            }
            if (doc != null) {
                ((Map<?, ?>) doc).forEach((k, v) -> raw.put(String.valueOf(k), v));
            }
        } catch (org.yaml.snakeyaml.constructor.DuplicateKeyException e) {
            throw new IllegalArgumentException(where + ": a key appears twice (" + e.getProblem()
                    + (e.getProblemMark() == null ? "" : ", line " + (e.getProblemMark().getLine() + 1)) + ")");
        } catch (YAMLException e) {
            throw new IllegalArgumentException(where + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + o + "'");
            }
            raw.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        raw.forEach((k, v) -> {
            if (v != null && String.valueOf(v).length() > MAX_VALUE_CHARS) {
                throw new IllegalArgumentException(where + ": key '" + k + "': value of " + String.valueOf(v).length()
                        + " characters, at most " + MAX_VALUE_CHARS);
            }
        });
        return raw;
    }

    /**
     * The canonical config text: every key that defines the experiment, in a fixed order, with
     * values that parse back to the same experiment bit for bit (doubles in shortest round-trip
     * form). It is what the trainer records in the manifest, what a restarted trainer is checked
     * against and what {@code replay} rebuilds the experiment from. {@code workers} is left out:
     * how many workers run does not change the experiment.
     */
    public String canonicalText() {
        TabularExperimentConfig e = experiment;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment-id", experimentId);
        m.put("family", e.family());
        m.put("alg", e.alg().name().substring(3));
        m.put("seed", e.seed());
        m.put("iterations", e.iterations());
        m.put("tasks-per-iteration", e.tasksPerIteration());
        m.put("episodes", e.episodes());
        m.put("lambda-train", e.lambdaTrain());
        m.put("lambda-test", e.lambdaTest());
        m.put("sarsa-step", e.sarsaStep());
        m.put("sarsa-sweeps", e.sarsaSweeps());
        if (e.untriedActions() != UntriedActions.ZERO) {   // written only when not the default, so manifests made before the key still match
            m.put("untried-actions", e.untriedActions().label());
        }
        m.put("meta-learning-rate", e.metaLearningRate());
        m.put("optimizer", e.optimizer());
        m.put("phi-init", e.phiInit());
        m.put("hypergradient", e.hypergradient().name().toLowerCase(java.util.Locale.ROOT));
        m.put("test-steps", e.testSteps());
        m.put("pg-step-size", e.pgStepSize());
        m.put("max-staleness", maxStaleness);
        m.put("partitions", partitions);
        return RunConfig.lines(m);
    }

    /** This config with another experiment id (topic prefix). */
    @Override
    public ExperimentFile withExperimentId(String id) {
        return new ExperimentFile(id, experiment, maxStaleness, workers, partitions);
    }

    static ExperimentFile fromMap(Map<String, Object> raw, String where) {
        for (String key : raw.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known keys: "
                        + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
        }
        Values v = new Values(raw, where);
        String family = v.string("family", null);
        TabularAlgorithm alg = v.parse("alg", TabularAlgorithm::parse, null);
        long seed = v.integer("seed", 0L);
        TabularExperimentConfig p;
        try {
            p = TabularExperimentConfig.paper(family, alg, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": key 'family': " + e.getMessage());
        }
        try {
            TabularExperimentConfig exp = new TabularExperimentConfig(family, alg,
                    v.real("lambda-train", p.lambdaTrain()), v.real("lambda-test", p.lambdaTest()),
                    v.int32("iterations", p.iterations()), v.int32("tasks-per-iteration", p.tasksPerIteration()),
                    v.int32("episodes", p.episodes()), v.real("sarsa-step", p.sarsaStep()),
                    v.int32("sarsa-sweeps", p.sarsaSweeps()),
                    v.parse("untried-actions", UntriedActions::parse, p.untriedActions()),
                    v.real("meta-learning-rate", p.metaLearningRate()),
                    v.string("optimizer", p.optimizer()), v.real("phi-init", p.phiInit()),
                    v.parse("hypergradient", HypergradientKind::parse, p.hypergradient()),
                    v.int32("test-steps", p.testSteps()), v.real("pg-step-size", p.pgStepSize()), seed);
            int maxStaleness = v.int32("max-staleness", 0);
            int workers = v.int32("workers", 2);
            int partitions = v.int32("partitions", 3);
            if (maxStaleness < 0 || workers < 1 || partitions < 1) {
                throw new IllegalArgumentException(maxStaleness < 0 ? "max-staleness must be >= 0"
                        : workers < 1 ? "workers must be >= 1" : "partitions must be >= 1");
            }
            return new ExperimentFile(checkExperimentId(v.string("experiment-id", null), where), exp, maxStaleness, workers,
                    partitions);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** Typed access to the raw map with key-naming errors (shared with {@link ContinuousExperimentFile}). */
    record Values(Map<String, Object> raw, String where) {

        String string(String key, String dflt) {
            Object o = raw.get(key);
            if (o == null) {
                if (dflt == null) {
                    throw new IllegalArgumentException(where + ": missing required key '" + key + "'");
                }
                return dflt;
            }
            return String.valueOf(o);
        }

        <T> T parse(String key, java.util.function.Function<String, T> parser, T dflt) {
            Object o = raw.get(key);
            if (o == null && dflt != null) {
                return dflt;
            }
            try {
                return parser.apply(string(key, null));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": key '" + key + "': " + e.getMessage());
            }
        }

        long integer(String key, long dflt) {
            Object o = raw.get(key);
            if (o == null) {
                return dflt;
            }
            try {
                return Long.parseLong(String.valueOf(o).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": key '" + key + "' must be an integer, got '" + o + "'");
            }
        }

        /** {@link #integer} that must fit an int: a larger value is an error naming the key, never a wrap-around. */
        int int32(String key, int dflt) {
            long x = integer(key, dflt);
            if (x != (int) x) {
                throw new IllegalArgumentException(where + ": key '" + key + "' is out of range, got " + x);
            }
            Long max = BOUNDS.get(key);
            if (max != null && x > max) {
                throw new IllegalArgumentException(where + ": key '" + key + "' must be at most " + max + ", got " + x);
            }
            return (int) x;
        }

        double real(String key, double dflt) {
            Object o = raw.get(key);
            if (o == null) {
                return dflt;
            }
            try {
                return Double.parseDouble(String.valueOf(o).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": key '" + key + "' must be a number, got '" + o + "'");
            }
        }
    }
}
