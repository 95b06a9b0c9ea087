package io.metastream.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the two HTTP endpoints of the roles ({@code --metrics-port}, the adapter's {@code --query-port}) share, so
 * that a stranger cannot stall or misuse them: they listen on {@value #DEFAULT_HOST} unless told otherwise, answer
 * only GET (405 with {@code Allow: GET} otherwise), refuse a request line over {@value #MAX_URI_CHARS} characters
 * (414) or a request with a body (413), and run handlers on a small bounded pool ({@value #THREADS} threads, at
 * most {@value #QUEUE} waiting connections, further ones closed) with the JDK server's request time limit set to
 * {@value #MAX_REQUEST_MILLIS} ms: a client that opens a connection, sends a byte and waits holds one pool thread
 * until then, and the others keep answering. With the JDK's default (no executor) that one client stopped both
 * endpoints. The bound: {@value #THREADS} such clients at once still stall an endpoint for up to
 * {@value #MAX_REQUEST_MILLIS} ms (the JDK server reads a request on a pool thread); keep the endpoints on
 * loopback or a trusted network.
 */
final class HttpEndpoints {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int THREADS = 16;
    static final int QUEUE = 32;
    static final int MAX_URI_CHARS = 2048;
    static final long MAX_REQUEST_MILLIS = 5_000;

    private HttpEndpoints() {
    }

    /**
     * A started server on {@code host:port} with {@code handler} at {@code path}; {@code option} names the
     * command-line option in the one-line error when the address cannot be bound.
     */
    static HttpServer start(String option, String host, int port, String path, HttpHandler handler) {
        // read once by the JDK server's configuration, before the first server exists; a -D setting wins
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(MAX_REQUEST_MILLIS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Long.toString(4 * MAX_REQUEST_MILLIS));
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + " " + port + ": cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + ")");
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "http" + option.replace("--", "-") + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        pool.allowCoreThreadTimeOut(true);
        server.setExecutor(pool);
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().add("Allow", "GET");
                    send(exchange, 405, "text/plain; charset=utf-8", "only GET is supported\n");
                } else if (exchange.getRequestURI().toString().length() > MAX_URI_CHARS) {
                    send(exchange, 414, "text/plain; charset=utf-8", "request URI too long\n");
                } else if (hasBody(exchange)) {
                    send(exchange, 413, "text/plain; charset=utf-8", "a GET request has no body\n");
                } else {
                    handler.handle(exchange);
                }
            }
        });
        server.start();
        return server;
    }

    /** Stops the server and its pool. */
    static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ThreadPoolExecutor pool) {
            pool.shutdownNow();
        }
    }

    static void send(HttpExchange exchange, int code, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static boolean hasBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        String chunked = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        return chunked != null || (length != null && !length.strip().equals("0"));
    }
}
