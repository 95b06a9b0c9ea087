package io.metastream.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The experiment config options shared by every role command. */
final class ConfigOptions {

    @Option(names = "--config", required = true, description = "Experiment config file (YAML), e.g. configs/frozenlake-high-alg1.yaml.")
    Path config;

    @Option(names = "--set", description = "Override a config key: --set key=value (repeatable).")
    List<String> overrides = new ArrayList<>();

    /** The command this mixin belongs to (its name goes into the error of a tabular-only command). */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The config file of either kind (tabular or continuous, by its {@code family} key). */
    RunConfig loadAny() {
        return RunConfig.load(config, overrides);
    }

    /** The config file of a command that supports only tabular experiments; a continuous one is a one-line error. */
    ExperimentFile load() {
        return RunConfig.requireTabular(loadAny(), mixee == null ? "this command" : mixee.name());
    }
}
