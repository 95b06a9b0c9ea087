package io.metastream.trainer;

/**
 * The code version an experiment's manifest records: the system property {@code metastream.code-version}
 * (the {@code metastream} script sets it to {@code git describe --always --dirty} of its checkout), else the
 * environment variable {@code METASTREAM_CODE_VERSION} (the Docker image bakes in its build argument of that
 * name), else {@link #UNKNOWN}. A resumed experiment compares it with the recorded one, because rounds computed by
 * different code may differ in rounding (the determinism guarantee is per code version).
 */
public final class CodeVersion {

    /** The system property that carries the version. */
    public static final String PROPERTY = "metastream.code-version";

    /** The environment variable read when the property is not set. */
    public static final String ENVIRONMENT = "METASTREAM_CODE_VERSION";

    /** Recorded when the property is not set (e.g. the classes run from an IDE or a test). */
    public static final String UNKNOWN = "0.1.0-SNAPSHOT (unversioned build)";

    private CodeVersion() {
    }

    public static String current() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENVIRONMENT);
        }
        return v == null || v.isBlank() ? UNKNOWN : v.strip();
    }
}
