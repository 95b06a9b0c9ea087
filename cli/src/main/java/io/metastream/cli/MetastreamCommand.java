package io.metastream.cli;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The {@code metastream} command. Subcommands are added as their roles land; every user mistake
 * (a bad option value, an invalid config) ends with a one-line message naming it, not a stack trace.
 */
@Command(name = "metastream", mixinStandardHelpOptions = true, version = "metastream 0.1.0",
        description = "Continuous online meta-reinforcement learning (BO-MRL) on Apache Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, WorkerCommand.class, AdapterCommand.class,
                TrainerCommand.class, ReplayCommand.class, ReportCommand.class, CompareCommand.class, TopicsCommand.class, CheckpointCommand.class, BrokerCommand.class, FrozenLakeCommand.class, BenchCommand.class})
public final class MetastreamCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit code: 1 for a user error, with its message on
     * stderr — a bad option or config value, and a Kafka cluster that refuses the credentials or
     * does not answer (the usual results of a wrong {@code --bootstrap-servers} or {@code --client-config}).
     */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new MetastreamCommand());
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            // before parsing: picocli would let a --help after an unknown command print the top-level help, exit 0
            cl.getErr().println("metastream: unknown command '" + args[0] + "'" + suggestions(cl, List.of(args[0]))
                    + " (commands: " + String.join(", ", cl.getSubcommands().keySet()) + ")");
            return 1;
        }
        cl.setParameterExceptionHandler((ex, given) -> {
            CommandLine cmd = ex.getCommandLine();
            List<String> unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
                    : cmd.getUnmatchedArguments();
            String message = unmatched.isEmpty() ? oneLine(ex) : "unknown " + (unmatched.get(0).startsWith("-") ? "option"
                    : cmd.getSubcommands().isEmpty() ? "argument" : "command") + " '" + unmatched.get(0) + "'";
            cmd.getErr().println("metastream: " + message + suggestions(cmd, unmatched) + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            return 1;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String message = userError(ex);
            if (message != null) {
                cmd.getErr().println("metastream: " + message);
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** The one-line message of a user error, or null when {@code ex} is not one (a bug: keep the stack trace). */
    static String userError(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof RoleFailedException) {
            return ex.getMessage();
        }
        // Kafka's failures arrive wrapped (ExecutionException, IllegalStateException, StreamsException)
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.metastream.broker.BrokerStartException) {   // e.g. 'broker' on a busy port
                return oneLine(t);
            }
            if (t instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return "a topic of the experiment does not exist on this cluster (" + oneLine(t) + "): create the topics with"
                        + " 'metastream topics --config …' first, or check the experiment id and --bootstrap-servers";
            }
            if (t instanceof org.apache.kafka.common.config.ConfigException) {   // e.g. a bootstrap server that is no host:port
                return "invalid Kafka client setting: " + oneLine(t) + " (check --bootstrap-servers, a comma-separated"
                        + " list of host:port, and --client-config)";
            }
            if (t instanceof org.apache.kafka.common.errors.ProducerFencedException
                    || t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
                return "another trainer has taken over this experiment (a newer process with the same transactional id"
                        + " fenced this one); this process stops, the other one goes on: " + oneLine(t);
            }
            if (t instanceof java.nio.file.FileSystemException f) {   // --out naming a file, --csv naming a directory, ...
                return "cannot use " + f.getFile() + (f.getOtherFile() == null ? "" : " / " + f.getOtherFile()) + ": "
                        + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()
                        .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT));
            }
            if (t instanceof AuthenticationException) {   // SASL (e.g. wrong password) or TLS handshake
                return "the Kafka cluster refused authentication: " + oneLine(t)
                        + " (check security.protocol, sasl.mechanism, sasl.jaas.config and ssl.* in --client-config)";
            }
            if (t instanceof AuthorizationException) {   // ACLs: topic, group, transactional id or cluster
                return "the Kafka cluster denied an operation to this principal: " + oneLine(t) + " (the roles need"
                        + " Read/Write/Describe on the topics <experiment>.*, Read on the consumer groups <experiment>-*,"
                        + " Write/Describe on the transactional ids <experiment>-*, and Create on the cluster to create topics)";
            }
            if (t instanceof TimeoutException) {
                return "the Kafka cluster did not answer in time: " + oneLine(t) + " (check --bootstrap-servers, and that"
                        + " security.protocol in --client-config matches the listener: a secured listener drops clients"
                        + " that do not authenticate)";
            }
        }
        return null;
    }

    /**
     * "; did you mean 'x'?" naming the subcommands and options of {@code cmd} within two edits (a transposition is one)
     * of the first unmatched word, or "".
     */
    static String suggestions(CommandLine cmd, List<String> unmatched) {
        if (unmatched.isEmpty() || unmatched.get(0).length() < 3) {
            return "";
        }
        String word = unmatched.get(0).contains("=") ? unmatched.get(0).substring(0, unmatched.get(0).indexOf('='))
                : unmatched.get(0);
        List<String> names = new java.util.ArrayList<>(cmd.getSubcommands().keySet());
        names.addAll(cmd.getCommandSpec().optionsMap().keySet());
        List<String> close = names.stream().filter(n -> editDistance(word, n) <= Math.min(2, Math.max(1, word.length() / 3)))
                .sorted().limit(3).map(n -> "'" + n + "'").toList();
        return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String oneLine(Throwable t) {
        return String.valueOf(t.getMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
