package io.metastream.cli;

import io.metastream.core.meta.MetaExperiment;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.mujoco.task.ContinuousFamilies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment config file of either kind: tabular ({@link ExperimentFile}, Frozen Lake)
 * or continuous ({@link ContinuousExperimentFile}, point navigation and MuJoCo). The {@code family}
 * key decides which: {@link #load} reads the flat YAML once and hands it to the parser of that kind,
 * so every role command accepts both. Loading never needs the MuJoCo native library;
 * {@link #requireRunnable()} is where a role that steps environments checks for it.
 */
public sealed interface RunConfig permits ExperimentFile, ContinuousExperimentFile {

    /** The Frozen Lake families ({@link FrozenLakeFamily#byName}). */
    List<String> TABULAR_FAMILIES = List.of("frozenlake-high", "frozenlake-low");

    /** The experiment id (topic prefix). */
    String experimentId();

    /** The validated experiment, tabular or continuous. */
    MetaExperiment experiment();

    /** 0 = synchronous (the paper), k = asynchronous with k rounds in flight. */
    int maxStaleness();

    /** Rollout workers started by {@code run}. */
    int workers();

    /** Partitions of each topic created by {@code topics}/{@code run}. */
    int partitions();

    /** Every key that defines the experiment in a fixed order; parses back to an equal config (the manifest's config text). */
    String canonicalText();

    /** This config with another experiment id. */
    RunConfig withExperimentId(String id);

    /**
     * Fails with a one-line {@link IllegalArgumentException} when this process cannot step the
     * experiment's environments (a MuJoCo family without the MuJoCo library: the message says how
     * to install it). Roles that only adapt or create topics do not need to call it.
     */
    default void requireRunnable() {
    }

    /** Loads {@code file} as the kind its {@code family} key names, then applies {@code key=value} overrides. */
    static RunConfig load(Path file, List<String> overrides) {
        String where = "config " + file;
        try {
            return parse(Files.readString(file), where, overrides);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Parses the config text recorded in an experiment's manifest: as {@link #parse}, except that a continuous
     * config without the {@code numerics} key was recorded before the key existed, so it means numerics 1, and one
     * without {@code config-format} means config format 1 (the defaults its absent keys had when it was recorded).
     */
    static RunConfig parseRecorded(String text, String where) {
        return parseRecorded(text, where, List.of());
    }

    /** {@link #parseRecorded(String, String)}, then {@code key=value} overrides. */
    static RunConfig parseRecorded(String text, String where, List<String> overrides) {
        Map<String, Object> raw = ExperimentFile.rawMap(text, where, List.of());
        Object family = raw.get("family");
        List<String> all = new ArrayList<>();
        if (family != null && isContinuous(String.valueOf(family))) {
            if (!raw.containsKey("numerics")) {
                all.add("numerics=1");
            }
            if (!raw.containsKey("config-format")) {
                all.add("config-format=1");
            }
        }
        all.addAll(overrides);
        return parse(text, where, all);
    }

    /** Parses config text (a file's or a manifest's) as the kind its {@code family} names; errors name {@code where}. */
    static RunConfig parse(String text, String where, List<String> overrides) {
        Map<String, Object> raw = ExperimentFile.rawMap(text, where, overrides);
        Object family = raw.get("family");
        if (family != null && isContinuous(String.valueOf(family))) {
            return ContinuousExperimentFile.fromMap(raw, where);
        }
        if (family != null && !TABULAR_FAMILIES.contains(String.valueOf(family))) {
            List<String> known = new ArrayList<>(TABULAR_FAMILIES);
            known.addAll(ContinuousFamilies.NAMES);
            throw new IllegalArgumentException(where + ": key 'family': unknown task family '" + family + "' (known: "
                    + String.join(", ", known) + ")");
        }
        return ExperimentFile.fromMap(raw, where);
    }

    /** {@code key: value} lines in the map's order: the canonical text of a config. */
    static String lines(java.util.Map<String, Object> keyValues) {
        StringBuilder out = new StringBuilder();
        keyValues.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    /** Whether {@code family} names a continuous family (point navigation or MuJoCo); needs no native code. */
    static boolean isContinuous(String family) {
        return ContinuousFamilies.isContinuous(family);
    }

    /**
     * The tabular config of a command that supports only tabular experiments: throws a one-line
     * error naming {@code command} and the family when {@code config} is continuous.
     */
    static ExperimentFile requireTabular(RunConfig config, String command) {
        if (config instanceof ExperimentFile ef) {
            return ef;
        }
        throw new IllegalArgumentException("'" + command + "' supports only tabular (Frozen Lake) experiments; "
                + config.experimentId() + " is continuous (family " + config.experiment().family() + "): use 'run' or"
                + " 'trainer', which write its meta-test and progress files into the run directory");
    }
}
