package io.metastream.producers;

/**
 * A trajectory that cannot be published because it is larger than the trajectories topic accepts
 * (the broker's {@code max.message.bytes}) or than the worker's producer sends
 * ({@code max.request.size}). The message names the assignment, the episode, the serialized size
 * and what to change; the cause is Kafka's {@code RecordTooLargeException}. It stops the worker
 * ({@link RolloutWorker#failure()}).
 */
public final class TrajectoryTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TrajectoryTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
