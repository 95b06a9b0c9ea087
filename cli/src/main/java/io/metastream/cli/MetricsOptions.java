package io.metastream.cli;

import picocli.CommandLine.Option;

import java.io.PrintStream;

/** {@code --metrics-port}: the Prometheus endpoint of a role command (off unless given). */
final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0: a free port, printed at start). Default: off.")
    Integer port;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = HttpEndpoints.DEFAULT_HOST,
            description = "Address the metrics endpoint listens on. Default: ${DEFAULT-VALUE} (this machine only). The"
                    + " endpoint has no authentication: open it (0.0.0.0) only on a network you trust.")
    String host;

    /** The started endpoint, or null when {@code --metrics-port} was not given. */
    MetricsEndpoint start(String experimentId, PrintStream out) {
        if (port == null) {
            return null;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-port must be in 0..65535, got " + port);
        }
        MetricsEndpoint m = MetricsEndpoint.start(host, port, experimentId);
        out.println("Prometheus metrics at " + m.url());
        return m;
    }
}
