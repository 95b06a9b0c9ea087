package io.metastream.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roles' HTTP endpoints ({@code --metrics-port}, the adapter's {@code --query-port}) listen on loopback unless
 * told otherwise, keep answering while strangers hold idle connections open, and answer only GET.
 */
class EndpointHardeningTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void bothEndpointsListenOnLoopbackByDefault() throws Exception {
        AdapterCommand adapter = new AdapterCommand();
        new CommandLine(adapter).parseArgs("--config", "c.yaml", "--bootstrap-servers", "h:1", "--metrics-port", "0",
                "--query-port", "0");
        assertThat(adapter.queryHost).isEqualTo("127.0.0.1");
        assertThat(adapter.metrics.host).isEqualTo("127.0.0.1");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--config", "c.yaml", "--metrics-port", "0");
        assertThat(run.metrics.host).isEqualTo("127.0.0.1");
        try (MetricsEndpoint m = MetricsEndpoint.start(adapter.metrics.host, 0, "x");
             AdapterQueryEndpoint q = AdapterQueryEndpoint.start(adapter.queryHost, 0, () -> {
                 throw new AssertionError("not queried");
             })) {
            assertThat(InetAddress.getByName(URI.create(m.url()).getHost()).isLoopbackAddress()).as(m.url()).isTrue();
            assertThat(InetAddress.getByName(URI.create(q.url()).getHost()).isLoopbackAddress()).as(q.url()).isTrue();
        }
    }

    /** Eight clients that connect, send one byte and wait do not stop the metrics endpoint from answering another. */
    @Test
    void heldOpenIdleConnectionsDoNotStallTheEndpoints() throws Exception {
        try (MetricsEndpoint m = MetricsEndpoint.start("127.0.0.1", 0, "x");
             AdapterQueryEndpoint q = AdapterQueryEndpoint.start("127.0.0.1", 0, () -> {
                 throw new AssertionError("not queried");
             })) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    for (int port : new int[] {m.port(), q.port()}) {
                        Socket s = new Socket("127.0.0.1", port);
                        OutputStream out = s.getOutputStream();
                        out.write('G');
                        out.flush();
                        idle.add(s);
                    }
                }
                Thread.sleep(200);   // the servers have read the byte and wait for the rest
                HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create(m.url()))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).contains("jvm_memory_used_bytes");
                HttpResponse<String> bad = CLIENT.send(HttpRequest.newBuilder(URI.create(q.url() + "t1"))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        try (MetricsEndpoint m = MetricsEndpoint.start("127.0.0.1", 0, "x");
             AdapterQueryEndpoint q = AdapterQueryEndpoint.start("127.0.0.1", 0, () -> {
                 throw new AssertionError("not queried");
             })) {
            for (String url : List.of(m.url(), q.url() + "t1?round=1")) {
                for (String method : List.of("POST", "DELETE", "PUT")) {
                    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as("%s %s", method, url).isEqualTo(405);
                    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
                }
            }
            HttpResponse<String> withBody = CLIENT.send(HttpRequest.newBuilder(URI.create(m.url())).timeout(Duration.ofSeconds(3))
                    .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(100), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withBody.statusCode()).isEqualTo(413);
            HttpResponse<String> longUri = CLIENT.send(HttpRequest.newBuilder(URI.create(q.url() + "t".repeat(3000)
                    + "?round=1")).timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(longUri.statusCode()).isEqualTo(414);
        }
    }
}
