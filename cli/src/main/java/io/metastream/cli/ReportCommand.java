package io.metastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code metastream report}: regenerate an experiment's run directory from its topics. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Regenerate an experiment's manifest.txt, progress.csv, meta-test.csv and plots from its topics alone.",
                "Continuous experiments: progress.csv at any point of the run (every round so far, across restarts);"
                        + " once finished, also the in-process meta-test of the final meta-prior (or of the best on validation"
                        + " with --validate-every), as 'run' writes it."})
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--experiment", required = true, paramLabel = "X", description = "The experiment id.")
    String experiment;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--validate-every", paramLabel = "K", defaultValue = "0",
            description = "Continuous experiments: score every K-th meta-prior on the validation goals and meta-test the best,"
                    + " as the config key validate-every does for 'run' (default: ${DEFAULT-VALUE}, the final meta-prior).")
    int validateEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<X>-report).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("runs", experiment + "-report");
        Report.write(cluster.bootstrapServers, cluster.clientProperties(), experiment, validateEvery, dir, System.out);
        return 0;
    }
}
