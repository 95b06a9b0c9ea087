package io.metastream.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.metastream.streams.AdapterQueries;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The adapter's HTTP query endpoint: {@code GET /tasks/<taskId>?round=<r>} answers, by Kafka
 * Streams interactive query of this instance's stores, the task's PRE and POST batch fill and its
 * adapted policy (id and meta-prior version) as JSON. 400 for a malformed request, 503 while the
 * stores are not queryable (rebalancing, restoring).
 */
final class AdapterQueryEndpoint implements AutoCloseable {

    private final HttpServer server;

    private AdapterQueryEndpoint(HttpServer server) {
        this.server = server;
    }

    static AdapterQueryEndpoint start(String host, int port, Supplier<AdapterQueries> queries) {
        HttpServer server = HttpEndpoints.start("--query-port", host, port, "/tasks/", exchange -> {
            try {
                String path = exchange.getRequestURI().getRawPath();
                String taskId = URLDecoder.decode(path.substring("/tasks/".length()), StandardCharsets.UTF_8);
                String query = exchange.getRequestURI().getRawQuery();
                if (taskId.isEmpty() || query == null || !query.matches("round=\\d{1,9}")) {
                    respond(exchange, 400, "{\"error\":\"expected GET /tasks/<taskId>?round=<r>\"}");
                    return;
                }
                int round = Integer.parseInt(query.substring("round=".length()));
                respond(exchange, 200, queries.get().status(taskId, round).toJson());
            } catch (InvalidStateStoreException e) {
                respond(exchange, 503, "{\"error\":\"stores not queryable now (rebalancing or restoring); retry\"}");
            }
        });
        return new AdapterQueryEndpoint(server);
    }

    private static void respond(HttpExchange exchange, int code, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/tasks/";
    }

    @Override
    public void close() {
        HttpEndpoints.stop(server);
    }
}
