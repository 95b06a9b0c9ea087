package io.metastream.broker;

/**
 * The embedded broker did not come up: a port was taken, the log directory could not be formatted
 * or locked, the configuration was rejected by Kafka, or the broker did not answer in time. The
 * message names the address and log directory involved; the cause carries Kafka's own error.
 */
public final class BrokerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
