package io.metastream.broker;

import org.apache.kafka.common.utils.Exit;

/**
 * Stops Kafka from ending the host JVM. On a fatal fault (e.g. a locked metadata directory at
 * start-up) Kafka's {@code ProcessTerminatingFaultHandler} logs the cause at ERROR and calls
 * {@link Exit#halt}: right for a broker process, wrong for a broker embedded in a test run or in
 * the demo, where it would kill the surefire fork without a word. Installed, Kafka's exit and
 * halt requests throw instead, so the fault surfaces as an exception in the thread that hit it
 * ({@link EmbeddedKafkaBroker#start()} turns it into a {@link BrokerStartException}).
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

    private static void refuse(String request, int status, String message) {
        throw new IllegalStateException("Kafka hit a fatal fault and requested JVM " + request + " with status " + status
            + (message == null ? "" : " (" + message + ")")
            + "; the embedded broker throws instead. Kafka logged the cause at ERROR just before this.");
    }
}
