package io.metastream.cli;

/**
 * A role of the command (a worker, the adapter) can no longer work: the command stops every role and exits 1 with
 * this message as its one line (not a user mistake, and not a bug of the command: the cause is named).
 */
final class RoleFailedException extends RuntimeException {

    RoleFailedException(String message) {
        super(message);
    }
}
