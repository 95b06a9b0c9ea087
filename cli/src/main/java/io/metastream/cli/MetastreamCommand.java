package io.metastream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code metastream} command. Subcommands are added as their roles land; every user mistake
 * (a bad option value, an invalid config) ends with a one-line message naming it, not a stack trace.
 */
@Command(name = "metastream", mixinStandardHelpOptions = true, version = "metastream 0.1.0",
        description = "Continuous online meta-reinforcement learning (BO-MRL) on Apache Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, WorkerCommand.class, AdapterCommand.class,
                TrainerCommand.class, TopicsCommand.class, BrokerCommand.class, FrozenLakeCommand.class})
public final class MetastreamCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (1 for a user error, with its message on stderr). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new MetastreamCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("metastream: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
