package io.metastream.mujoco;

/**
 * An error reported by MuJoCo (a failed model load or a {@code mju_error} raised inside the
 * engine). The native shim turns MuJoCo's fatal-error callback into this exception instead of
 * letting MuJoCo exit the process; the message is MuJoCo's own text.
 */
public class MujocoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MujocoException(String message) {
        super(message);
    }
}
