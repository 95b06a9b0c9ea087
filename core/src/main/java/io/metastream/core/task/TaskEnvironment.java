package io.metastream.core.task;

import io.metastream.core.env.Environment;

/** An environment whose task can be set and read back (Gymnasium's {@code set_task}/{@code get_task}). */
public interface TaskEnvironment<T, O, A> extends Environment<O, A> {

    /** Switches to {@code task}; takes effect at the next {@link #reset(long)}. */
    void setTask(T task);

    /** The current task. */
    T getTask();
}
