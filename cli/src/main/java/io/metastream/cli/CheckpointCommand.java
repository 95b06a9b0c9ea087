package io.metastream.cli;

import io.metastream.schemas.Topics;
import io.metastream.trainer.ExperimentCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code metastream checkpoint export|import}: carry an experiment's meta-training state to another cluster. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = {"Carry an experiment to another Kafka cluster in a small file: its manifest, trainer decisions,"
                + " meta-prior versions, metrics, dead letters and in-flight PRE assignments (not its trajectories).",
                "After 'import', run/trainer with the same config resumes the experiment at the next round, exactly as on"
                + " the original log; rounds before the checkpoint can only be replayed on the original cluster."},
        subcommands = {CheckpointCommand.Export.class, CheckpointCommand.Import.class, CheckpointCommand.Inspect.class})
final class CheckpointCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the checkpoint of an experiment (stopped or running: the committed rounds) to a file.")
    static final class Export implements Callable<Integer> {

        @Option(names = "--experiment", required = true, paramLabel = "X", description = "The experiment id.")
        String experiment;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The checkpoint file to write (Avro container).")
        Path file;

        @Option(names = "--keep-every", defaultValue = "1", paramLabel = "N",
                description = {"Keep only meta-prior versions 0, N, 2N, ... and those a resume needs (the last round's and"
                        + " the in-flight rounds'). Meta-prior versions are most of a MuJoCo checkpoint (0.16 MB each for"
                        + " HalfCheetah's 128-128 MLP). Use the config's validate-every (or a divisor of it): post-training"
                        + " validation scores only the versions in the log. Default: ${DEFAULT-VALUE} (every version)."})
        int keepEvery;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            ExperimentCheckpoint.Summary s = ExperimentCheckpoint.export(cluster.bootstrapServers, cluster.clientProperties(),
                    experiment, file, keepEvery);
            long bytes = Files.size(file);
            System.out.println(describe("wrote checkpoint of", s) + String.format(Locale.ROOT, " to %s (%s)", file,
                    bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                            : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)));
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Create the experiment's topics on a cluster that does not have it and write the checkpoint into them.")
    static final class Import implements Callable<Integer> {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "A file written by 'checkpoint export'.")
        Path file;

        @Option(names = "--replication", defaultValue = "1", description = "Replication factor of the created topics. Default: ${DEFAULT-VALUE}.")
        short replication;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            if (replication < 1) {
                throw new IllegalArgumentException("--replication must be at least 1 (and at most the number of brokers), got "
                        + replication);
            }
            ExperimentCheckpoint.Summary s = ExperimentCheckpoint.importInto(cluster.bootstrapServers, cluster.clientProperties(),
                    file, replication);
            System.out.println(describe("imported checkpoint of", s) + " into " + cluster.bootstrapServers
                    + "; run or trainer with the experiment's config resumes it at round " + (s.roundsDone() + 1));
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print what a checkpoint file holds, without a cluster: its experiment and record counts, then one"
                    + " line per meta-prior version (round, policy type, parameter count, |theta|; for a gaussian-mlp the"
                    + " log-std mean/min/max over action dimensions and the observation normaliser's count).",
                    "Shows how exploration and the parameters moved over meta-training, e.g. a shrinking log-std."})
    static final class Inspect implements Callable<Integer> {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "A file written by 'checkpoint export'.")
        Path file;

        @Option(names = "--csv", paramLabel = "FILE", description = "Also write the meta-prior table as CSV to FILE.")
        Path csv;

        @Override
        public Integer call() throws Exception {
            ExperimentCheckpoint.Contents c = ExperimentCheckpoint.read(file);
            List<CheckpointPriors.Row> rows = CheckpointPriors.rows(c.priors());
            String kept = c.keepEvery() == 0 ? "" : c.keepEvery() == 1 ? " (every version kept)"
                    : String.format(Locale.ROOT, " (versions 0, %d, %d, ... and those a resume needs)", c.keepEvery(),
                    2 * c.keepEvery());
            System.out.println(describe("checkpoint " + file + " of", c.summary()) + kept);
            System.out.print(CheckpointPriors.table(rows));
            if (csv != null) {
                Path parent = csv.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(csv, CheckpointPriors.csv(rows));
                System.out.println("Wrote " + csv);
            }
            return 0;
        }
    }

    static String describe(String verb, ExperimentCheckpoint.Summary s) {
        Map<Topics, Integer> n = s.recordsByTopic();
        String dropped = s.droppedPriorVersions() == 0 ? ""
                : String.format(Locale.ROOT, " (%d more left behind by --keep-every)", s.droppedPriorVersions());
        return String.format(Locale.ROOT, "%s %s: %d meta-iterations done, %d meta-prior versions%s, %d control, %d metrics,"
                        + " %d dead-letter and %d in-flight assignment records, %d partitions", verb, s.experimentId(), s.roundsDone(),
                s.priorVersions(), dropped, n.getOrDefault(Topics.CONTROL, 0), n.getOrDefault(Topics.METRICS, 0),
                n.getOrDefault(Topics.DEAD_LETTERS, 0), n.getOrDefault(Topics.ASSIGNMENTS, 0), s.partitions());
    }
}
