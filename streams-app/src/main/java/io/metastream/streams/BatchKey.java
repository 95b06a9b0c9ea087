package io.metastream.streams;

import io.metastream.schemas.Phase;
import io.metastream.schemas.Trajectory;

/**
 * One task's collection in one round and phase, and the state-store keys derived from it. Keys
 * are {@code taskId SEP round SEP ...} with the ASCII unit separator, so a task id may hold any
 * printable character and a prefix scan over a batch never reaches another task.
 */
record BatchKey(String taskId, int round, Phase phase) {

    private static final char SEP = '\u001F';

    static BatchKey of(Trajectory t) {
        return new BatchKey(t.getTaskId(), t.getRound(), t.getPhase());
    }

    BatchKey withPhase(Phase other) {
        return new BatchKey(taskId, round, other);
    }

    /** Prefix of every episode key of this batch in the episodes store; also its count key. */
    String batchPrefix() {
        return taskId + SEP + round + SEP + phase + SEP;
    }

    String episodeKey(int episodeIndex) {
        return batchPrefix() + String.format("%09d", episodeIndex);
    }

    /** This batch as one store key (the inverse of {@link #parse}). */
    String storeKey() {
        return taskId + SEP + round + SEP + phase;
    }

    /** The batch of a {@link #storeKey()}. */
    static BatchKey parse(String storeKey) {
        int last = storeKey.lastIndexOf(SEP);
        int middle = storeKey.lastIndexOf(SEP, last - 1);
        return new BatchKey(storeKey.substring(0, middle), Integer.parseInt(storeKey.substring(middle + 1, last)),
                Phase.valueOf(storeKey.substring(last + 1)));
    }

    /** Key of the task-round's adapted policy θ in the adaptations store. */
    String adaptedKey() {
        return taskId + SEP + round + SEP + "adapted";
    }

    /** Key of the task-round's meta-prior φ (the PRE behaviour policy) in the adaptations store. */
    String priorKey() {
        return taskId + SEP + round + SEP + "prior";
    }

    @Override
    public String toString() {
        return taskId + "/r" + round + "/" + phase;
    }
}
