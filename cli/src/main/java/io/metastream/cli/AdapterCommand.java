package io.metastream.cli;

import io.metastream.streams.AdapterApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code metastream adapter}: the Kafka Streams adapter until SIGTERM. */
@Command(name = "adapter", mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams adapter (within-task adaptation and per-task hypergradients) until SIGTERM.")
final class AdapterCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--query-port", paramLabel = "PORT",
            description = "Serve GET /tasks/<taskId>?round=<r> (batch fill and adapted-policy version, by interactive query). Default: off.")
    Integer queryPort;

    @Option(names = "--query-host", paramLabel = "HOST", defaultValue = HttpEndpoints.DEFAULT_HOST,
            description = "Address the query endpoint listens on. Default: ${DEFAULT-VALUE} (this machine only). The"
                    + " endpoint has no authentication: open it (0.0.0.0) only on a network you trust.")
    String queryHost;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the adapter keeps its RocksDB stores (default: a fresh temporary directory; state is restored from the changelogs).")
    java.nio.file.Path stateDir;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        RunConfig ef = config.loadAny();
        if (ef instanceof ContinuousExperimentFile cf) {
            cf.requireCurrentNumerics("adapt");
        }
        cluster.requireReachable();   // Kafka Streams would wait for a broker forever
        MetricsEndpoint m = metrics.start(ef.experimentId(), System.out);
        AdapterApp app = RunSession.adapter(ef, cluster.bootstrapServers, cluster.clientProperties(), stateDir).start();
        RunSession.bindAdapter(m, app);
        AdapterQueryEndpoint q = queryPort == null ? null : AdapterQueryEndpoint.start(queryHost, queryPort, app::queries);
        if (q != null) {
            System.out.println("task queries at " + q.url() + "<taskId>?round=<r>");
        }
        return RunSession.runUntilStoppedOrFailed(WorkerCommand.closeAll(app, () -> {
            if (q != null) {
                q.close();
            }
            if (m != null) {
                m.close();
            }
        }), "adapter of " + ef.experimentId(), System.out, app::failure);
    }
}
