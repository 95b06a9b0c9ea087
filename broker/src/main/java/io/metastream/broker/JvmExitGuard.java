package io.metastream.broker;

import org.apache.kafka.common.utils.internals.Exit;

/**
 * Stops Kafka from ending the host JVM. On a fatal fault (e.g. a locked metadata directory at
 * start-up) Kafka's {@code ProcessTerminatingFaultHandler} logs the cause at ERROR and calls
 * {@link Exit#halt}: right for a broker process, wrong for a broker embedded in a test run or in
 * the demo, where it would kill the surefire fork without a word. Installed, Kafka's exit and
 * halt requests throw instead, so the fault surfaces as an exception in the thread that hit it
 * ({@link EmbeddedKafkaBroker#start()} turns it into a {@link BrokerStartException}). A request made while a broker
 * runs (every log directory failed, e.g. on a full disk) leaves that broker up but no longer serving: it is recorded,
 * and {@link EmbeddedKafkaBroker#failure()} reports it so that the process using the broker can stop.
 *
 * <p>{@link Exit}'s procedures are JVM-wide; installing is idempotent and is never undone.
 */
final class JvmExitGuard {

    private JvmExitGuard() {
    }

    static void install() {
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
    }

    /** Refused requests so far, and the first one's description (null while none). */
    private static final java.util.concurrent.atomic.AtomicLong REQUESTS = new java.util.concurrent.atomic.AtomicLong();
    private static volatile String lastRequest;

    private static void refuse(String request, int status, String message) {
        lastRequest = "Kafka requested a JVM " + request + " with status " + status + (message == null ? "" : " (" + message + ")")
            + " in thread " + Thread.currentThread().getName();
        REQUESTS.incrementAndGet();
        throw new IllegalStateException("Kafka hit a fatal fault and requested JVM " + request + " with status " + status
            + (message == null ? "" : " (" + message + ")")
            + "; the embedded broker throws instead. Kafka logged the cause at ERROR just before this.");
    }

    /** How many exit or halt requests were refused in this JVM so far. */
    static long requests() {
        return REQUESTS.get();
    }

    /** The last refused request, described in one line (null while none). */
    static String lastRequest() {
        return lastRequest;
    }
}
