package io.metastream.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The experiment config options shared by every role command. */
final class ConfigOptions {

    @Option(names = "--config", required = true, description = "Experiment config file (YAML), e.g. configs/frozenlake-high-alg1.yaml.")
    Path config;

    @Option(names = "--set", description = "Override a config key: --set key=value (repeatable).")
    List<String> overrides = new ArrayList<>();

    ExperimentFile load() {
        return ExperimentFile.load(config, overrides);
    }
}
