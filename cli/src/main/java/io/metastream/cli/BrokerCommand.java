package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code metastream broker}: a local single-node KRaft broker until SIGTERM, for multi-process runs on one machine. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a local single-node Kafka broker (KRaft, in-process) on 127.0.0.1 until SIGTERM.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--log-dir", description = "Log directory, kept across restarts (default: a temporary directory, deleted on exit).")
    Path logDir;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker.Builder b = EmbeddedKafkaBroker.builder().port(port);
        if (logDir != null) {
            b.logDir(logDir);
        }
        EmbeddedKafkaBroker broker = b.build().start();
        System.out.printf("Kafka broker up at %s in %d ms (log dir %s)%n", broker.bootstrapServers(), broker.lastStartupMillis(),
                broker.logDir());
        RunSession.runUntilStopped(broker, "broker", System.out);
        return 0;
    }
}
