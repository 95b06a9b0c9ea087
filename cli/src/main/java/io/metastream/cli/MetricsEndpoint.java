package io.metastream.cli;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Prometheus scrape endpoint ({@code GET /metrics}, text exposition format) for the roles of one
 * process: Micrometer's JVM and process metrics, the Kafka client metrics of every producer and
 * consumer bound with {@link KafkaClientMetrics}, Kafka Streams' metrics bound with
 * {@link KafkaStreamsMetrics}, and metastream's own gauges. Every meter carries the tags
 * {@code experiment} and {@code role}. Served by the JDK's built-in HTTP server.
 */
final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final String experimentId;
    private final List<AutoCloseable> binders = new ArrayList<>();

    private MetricsEndpoint(HttpServer server, String experimentId) {
        this.server = server;
        this.experimentId = experimentId;
        registry.config().commonTags("experiment", experimentId);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Serves {@code /metrics} on {@code host:port} (port 0: a free one, see {@link #port()}). */
    static MetricsEndpoint start(String host, int port, String experimentId) {
        MetricsEndpoint[] endpoint = new MetricsEndpoint[1];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        HttpServer server = HttpEndpoints.start("--metrics-port", host, port, "/metrics", exchange -> {
            try {
                ready.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            HttpEndpoints.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", endpoint[0].registry.scrape());
        });
        endpoint[0] = new MetricsEndpoint(server, experimentId);
        ready.countDown();
        return endpoint[0];
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/metrics";
    }

    /** Binds the metrics of each producer and consumer in {@code clients} (other objects are ignored). */
    void bindClients(String role, List<Object> clients) {
        for (Object c : clients) {
            KafkaClientMetrics m;
            if (c instanceof Producer<?, ?> p) {
                m = new KafkaClientMetrics(p, Tags.of("role", role));
            } else if (c instanceof Consumer<?, ?> k) {
                m = new KafkaClientMetrics(k, Tags.of("role", role));
            } else {
                continue;
            }
            m.bindTo(registry);
            binders.add(m);
        }
    }

    void bindStreams(String role, KafkaStreams streams) {
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams, Tags.of("role", role));
        m.bindTo(registry);
        binders.add(m);
    }

    /** A metastream gauge {@code metastream_<name>} of role {@code role}. */
    void gauge(String name, String role, String description, Supplier<Number> value) {
        Gauge.builder("metastream." + name, value).tags("role", role).description(description).register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        HttpEndpoints.stop(server);
        for (AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception e) {
                // closing a binder only unregisters its meters
            }
        }
        registry.close();
    }

    @Override
    public String toString() {
        return "metrics endpoint of " + experimentId + " at " + url();
    }
}
