package io.metastream.mujoco;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * JNI entry points of {@code libmetastream_mujoco.so} (source: {@code src/main/c/metastream_mujoco.c}).
 *
 * <p>The library is looked up, in order: the path in the system property
 * {@value #LIBRARY_PROPERTY} (if set, no other location is tried); {@code target/native/} next to
 * the {@code target/classes} directory this class was loaded from; {@code target/native/} under the
 * working directory; the copy bundled in the jar (extracted to a temp file); and finally
 * {@code System.loadLibrary("metastream_mujoco")} ({@code java.library.path}). The library itself
 * links against Debian's {@code libmujoco.so} (2.2.2). When nothing loads, {@link #isAvailable()}
 * is false and {@link #requireAvailable()} explains how to fix it.
 *
 * <p>Handles are raw C pointers; use them through {@link MujocoModel} and {@link MujocoEnv}.
 */
public final class MujocoNative {

    /** System property naming the shim library file to load. */
    public static final String LIBRARY_PROPERTY = "metastream.mujoco.library";

    /** Step flag: MuJoCo raised mjWARN_BADQACC (it reset the state after a non-finite qacc). */
    public static final int FLAG_BADQACC = 1;
    /** Step flag: mjWARN_BADQPOS. */
    public static final int FLAG_BADQPOS = 2;
    /** Step flag: mjWARN_BADQVEL. */
    public static final int FLAG_BADQVEL = 4;
    /** Step flag: a non-finite control was given (or mjWARN_BADCTRL was raised). */
    public static final int FLAG_BADCTRL = 8;
    /** Step flag: a NaN/Inf was seen in ctrl, qpos, qvel or qacc during the step. */
    public static final int FLAG_NAN = 16;
    /** Step flag: mjWARN_INERTIA, mjWARN_CONTACTFULL or mjWARN_CNSTRFULL. */
    public static final int FLAG_OTHER_WARNING = 32;

    static final String LIBRARY_FILE = "libmetastream_mujoco.so";
    static final String BUNDLED_RESOURCE = "/io/metastream/mujoco/native/linux-x86_64/" + LIBRARY_FILE;

    /** The outcome of trying to load the shim. */
    public record LoadResult(boolean available, String detail) {

        /** Throws {@link IllegalStateException} with installation advice unless available. */
        public void requireAvailable() {
            if (!available) {
                throw new IllegalStateException("MuJoCo physics is not available: " + detail
                        + ". Install Debian's MuJoCo 2.2.2 with `apt-get install -y libmujoco-dev` and rebuild"
                        + " the mujoco module (`mvn -f mujoco/pom.xml install`) so that " + LIBRARY_FILE
                        + " is compiled, or point -D" + LIBRARY_PROPERTY + "=/path/to/" + LIBRARY_FILE
                        + " at a built copy.");
            }
        }
    }

    private static final LoadResult STATUS = loadOnce();

    private MujocoNative() {
    }

    /** Whether the shim (and libmujoco) loaded in this JVM. */
    public static boolean isAvailable() {
        return STATUS.available();
    }

    /** Where the shim was loaded from, or why it could not be. */
    public static String status() {
        return STATUS.detail();
    }

    /** Throws {@link IllegalStateException} (naming {@code libmujoco-dev}) when MuJoCo is unavailable. */
    public static void requireAvailable() {
        STATUS.requireAvailable();
    }

    /**
     * Tries to {@code System.load} one file. Package-private for tests; loading the real library
     * twice from the same path is a no-op in the JVM.
     */
    static LoadResult tryLoad(Path file) {
        if (!Files.isRegularFile(file)) {
            return new LoadResult(false, "no native library at " + file);
        }
        try {
            System.load(file.toAbsolutePath().toString());
            return new LoadResult(true, "loaded " + file.toAbsolutePath());
        } catch (UnsatisfiedLinkError e) {
            return new LoadResult(false, "cannot load " + file + " (" + e.getMessage() + ")");
        }
    }

    private static LoadResult loadOnce() {
        String configured = System.getProperty(LIBRARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return tryLoad(Path.of(configured));
        }
        List<String> tried = new ArrayList<>();
        for (Path candidate : candidates()) {
            LoadResult r = tryLoad(candidate);
            if (r.available()) {
                return r;
            }
            tried.add(r.detail());
        }
        LoadResult bundled = tryBundled();
        if (bundled.available()) {
            return bundled;
        }
        tried.add(bundled.detail());
        try {
            System.loadLibrary("metastream_mujoco");
            return new LoadResult(true, "loaded metastream_mujoco from java.library.path");
        } catch (UnsatisfiedLinkError e) {
            tried.add("not on java.library.path");
        }
        return new LoadResult(false, String.join("; ", tried));
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        try {
            var src = MujocoNative.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                Path loc = Path.of(src.getLocation().toURI());
                if (Files.isDirectory(loc) && loc.getParent() != null) { // .../target/classes
                    out.add(loc.getParent().resolve("native").resolve(LIBRARY_FILE));
                }
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall through to the other locations
        }
        out.add(Path.of("target", "native", LIBRARY_FILE));
        out.add(Path.of("mujoco", "target", "native", LIBRARY_FILE));
        return out;
    }

    private static LoadResult tryBundled() {
        try (InputStream in = MujocoNative.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                return new LoadResult(false, "no bundled " + LIBRARY_FILE + " in the jar");
            }
            Path tmp = Files.createTempFile("metastream_mujoco", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tryLoad(tmp);
        } catch (IOException e) {
            return new LoadResult(false, "cannot extract the bundled library (" + e.getMessage() + ")");
        }
    }

    // ---- native API (all require isAvailable()) ----

    /** MuJoCo's version string, e.g. {@code 2.2.2} (requires {@link #isAvailable()}). */
    public static native String version();

    /** mj_loadXML under a global lock; throws {@link MujocoException} with MuJoCo's message. */
    static native long loadModel(String xmlPath);

    static native void freeModel(long model);

    /** {nq, nv, nu, na, nbody}. */
    static native int[] modelSizes(long model);

    static native double timestep(long model);

    static native void ctrlRange(long model, double[] lo, double[] hi);

    static native long makeData(long model);

    static native void freeData(long data);

    /**
     * mj_resetData, then qpos += qposNoise and qvel += qvelNoise (either may be null), then
     * mj_forward; the state is copied to qposOut/qvelOut (either may be null).
     */
    static native void reset(long model, long data, double[] qposNoise, double[] qvelNoise,
                             double[] qposOut, double[] qvelOut);

    /**
     * Sets ctrl, runs {@code frameSkip} mj_step calls, copies qpos/qvel out and returns the
     * {@code FLAG_*} bitmask (0 = clean step).
     */
    static native int step(long model, long data, double[] ctrl, int frameSkip, double[] qposOut, double[] qvelOut);

    /** n raw mj_step calls with pseudo-random controls in [-1, 1), all in C; returns d->time. */
    static native double benchmarkSteps(long model, long data, int n);
}
