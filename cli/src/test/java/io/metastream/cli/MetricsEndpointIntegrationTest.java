package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.producers.RolloutWorker;
import io.metastream.streams.AdapterApp;
import io.metastream.trainer.ExperimentTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus endpoint serves, during a run, the Kafka client metrics of the workers and the
 * trainer, the Kafka Streams metrics of the adapter, JVM metrics and metastream's own gauges.
 */
@ExtendWith(SharedKafkaBroker.class)
class MetricsEndpointIntegrationTest {

    @Test
    void thePrometheusEndpointIsScrapedDuringARun(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        String id = SharedKafkaBroker.uniqueName("metrics");
        m.put("experiment-id", id);
        m.put("family", "frozenlake-low");
        m.put("alg", "1");
        m.put("iterations", 4);
        m.put("tasks-per-iteration", 2);
        m.put("episodes", 30);
        m.put("sarsa-sweeps", 2);
        m.put("test-steps", 1);
        ExperimentFile ef = ExperimentFile.fromMap(m, "test");
        String bootstrap = broker.bootstrapServers();
        ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
        HttpClient http = HttpClient.newHttpClient();
        List<String> scrapes = new ArrayList<>();
        List<HttpResponse<String>> queried = new ArrayList<>();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", 0, id);
             AdapterApp adapter = RunSession.adapter(ef, bootstrap, Map.of(), null).start();
             AdapterQueryEndpoint tasks = AdapterQueryEndpoint.start("127.0.0.1", 0, adapter::queries);
             RolloutWorker worker = RolloutWorker.start(RunSession.worker(ef, "w0", bootstrap, Map.of()))) {
            RunSession.bindAdapter(metrics, adapter);
            RunSession.bindWorker(metrics, worker);
            // scrape from another thread while the trainer runs
            Thread scraper = new Thread(() -> {
                try {
                    java.util.regex.Pattern oneRoundDone = java.util.regex.Pattern.compile(
                            "metastream_trainer_rounds_completed\\{[^}]*\\} [1-9]");
                    for (int i = 0; i < 600; i++) {   // until a scrape shows a finished round (at most ~60 s)
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metrics.url())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && oneRoundDone.matcher(r.body()).find()) {
                            synchronized (scrapes) {
                                scrapes.add(r.body());
                                // the adapter's interactive query for a task of the round in flight
                                queried.add(http.send(HttpRequest.newBuilder(URI.create(tasks.url() + "r0001-s01?round=1")).build(),
                                        HttpResponse.BodyHandlers.ofString()));
                            }
                            return;
                        }
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            scraper.start();
            RunSession.train(ef, bootstrap, Map.of(), dir, new PrintStream(new ByteArrayOutputStream()), metrics);
            scraper.join();
            HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(tasks.url() + "r0000-s00?round=0")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).as("a finished task is cleaned from the stores").isEqualTo("{\"taskId\":\"r0000-s00\","
                    + "\"round\":0,\"preEpisodes\":0,\"postEpisodes\":0,\"adaptedPolicyId\":null,\"adaptedVersion\":null}");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(tasks.url() + "r0000-s00")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        }
        assertThat(queried).hasSize(1);
        System.out.println("task query during the run: " + queried.get(0).body());
        assertThat(queried.get(0).statusCode()).isEqualTo(200);
        assertThat(queried.get(0).body()).matches("\\{\"taskId\":\"r0001-s01\",\"round\":1,\"preEpisodes\":([0-9]|[12][0-9]|30),"
                + "\"postEpisodes\":([0-9]|[12][0-9]|30),\"adaptedPolicyId\":(null|\"" + id + "/prior/v1/[^\"]+\"),"
                + "\"adaptedVersion\":(null|1)\\}");
        assertThat(scrapes).as("scrapes during the run").isNotEmpty();
        String body = scrapes.get(scrapes.size() - 1);
        System.out.printf("a scrape during the run: %d lines, %d bytes%n", body.lines().count(), body.length());
        assertThat(body).contains("experiment=\"" + id + "\"")
                .containsPattern("kafka_producer_[a-z_]+\\{[^}]*role=\"worker\"")
                .containsPattern("kafka_consumer_[a-z_]+\\{[^}]*role=\"trainer\"")
                .containsPattern("kafka_stream_[a-z_]+\\{[^}]*role=\"adapter\"")
                .contains("jvm_memory_used_bytes")
                .containsPattern("metastream_worker_episodes_published\\{[^}]*\\} [1-9]");
    }
}
