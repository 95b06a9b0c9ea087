package io.metastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code metastream replay}: re-run an experiment's adapter and trainer from its recorded trajectories and compare. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-run the adapter and trainer of a recorded experiment from its trajectories (no rollouts) into a new"
                + " experiment, and compare the meta-prior sequence and trainer decisions with the recorded ones bit for bit.",
                "Exit code 0: identical; 3: they differ (the first divergence is printed)."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--experiment", required = true, paramLabel = "X", description = "The recorded experiment id.")
    String experiment;

    @Option(names = "--as", paramLabel = "Y", description = "Experiment id of the replay (default: <X>-replay-<epoch seconds>).")
    String as;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        String target = as != null ? as : experiment + "-replay-" + System.currentTimeMillis() / 1000;
        Replay.Result r = Replay.run(cluster.bootstrapServers, cluster.clientProperties(), experiment, target, System.out);
        if (r.identical()) {
            System.out.printf(Locale.ROOT, "replay of %s as %s: IDENTICAL — %d meta-prior versions and %d trainer decisions"
                    + " compared bit for bit; %d trajectories replayed in %.1f s%n", r.source(), r.target(), r.versionsCompared(),
                    r.decisionsCompared(), r.trajectories(), r.seconds());
            return 0;
        }
        System.out.printf(Locale.ROOT, "replay of %s as %s: DIVERGES — first divergence: %s%n", r.source(), r.target(), r.divergence());
        return 3;
    }
}
