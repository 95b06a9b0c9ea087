package io.metastream.mujoco;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled MuJoCo model ({@code mjModel}), read-only after loading and therefore shared by
 * every {@link MujocoEnv} built on it (each env owns its own {@code mjData}).
 *
 * <p>Loading goes through {@code mj_loadXML} under a global native lock. {@link #close()} frees the
 * model once every env created from it is closed too (reference counting), so closing early is
 * safe. Models obtained from {@link #shared(String)} live for the whole JVM and ignore
 * {@code close()}.
 */
public final class MujocoModel implements AutoCloseable {

    /** Resource folder of the bundled models. */
    public static final String MODEL_RESOURCE_DIR = "/io/metastream/mujoco/models/";
    /** The bundled planar half-cheetah (nq 9, nv 9, nu 6). */
    public static final String HALF_CHEETAH = "half_cheetah.xml";
    /** The bundled ant (free root; nq 15, nv 14, nu 8). */
    public static final String ANT = "ant.xml";

    private static final Map<String, MujocoModel> SHARED = new ConcurrentHashMap<>();

    private final String name;
    private final boolean shared;
    private final int nq;
    private final int nv;
    private final int nu;
    private final double timestep;
    private final double[] ctrlLow;
    private final double[] ctrlHigh;

    private long handle;
    private int users = 1; // the owner plus one per open env
    private boolean closed;

    private MujocoModel(String name, long handle, boolean shared) {
        this.name = name;
        this.handle = handle;
        this.shared = shared;
        int[] sizes = MujocoNative.modelSizes(handle);
        this.nq = sizes[0];
        this.nv = sizes[1];
        this.nu = sizes[2];
        this.timestep = MujocoNative.timestep(handle);
        this.ctrlLow = new double[nu];
        this.ctrlHigh = new double[nu];
        MujocoNative.ctrlRange(handle, ctrlLow, ctrlHigh);
    }

    /** Loads an MJCF file; throws {@link MujocoException} with MuJoCo's message on failure. */
    public static MujocoModel load(Path xml) {
        MujocoNative.requireAvailable();
        long h = MujocoNative.loadModel(xml.toAbsolutePath().toString());
        return new MujocoModel(xml.getFileName().toString(), h, false);
    }

    /**
     * Loads a bundled model (e.g. {@link #HALF_CHEETAH}) by copying the resource to a temporary
     * file (mj_loadXML needs a path); the caller owns the result.
     */
    public static MujocoModel loadResource(String resourceName) {
        MujocoNative.requireAvailable();
        String res = resourceName.startsWith("/") ? resourceName : MODEL_RESOURCE_DIR + resourceName;
        Path tmp = null;
        try (InputStream in = MujocoModel.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalArgumentException("no model resource " + res);
            }
            tmp = Files.createTempFile("metastream-mujoco-", ".xml");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            long h = MujocoNative.loadModel(tmp.toString());
            return new MujocoModel(resourceName, h, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage model resource " + res, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** A JVM-wide shared instance of a bundled model, loaded once; {@code close()} is a no-op on it. */
    public static MujocoModel shared(String resourceName) {
        MujocoNative.requireAvailable();
        return SHARED.computeIfAbsent(resourceName, r -> {
            MujocoModel owned = loadResource(r);
            MujocoModel s = new MujocoModel(r, owned.handle, true);
            owned.handle = 0; // ownership moves to the shared instance
            owned.closed = true;
            return s;
        });
    }

    public String name() {
        return name;
    }

    /** Number of generalised coordinates. */
    public int nq() {
        return nq;
    }

    /** Number of degrees of freedom. */
    public int nv() {
        return nv;
    }

    /** Number of actuators. */
    public int nu() {
        return nu;
    }

    /** The physics timestep (opt.timestep) in seconds. */
    public double timestep() {
        return timestep;
    }

    /** Lower control limits (−∞ where the actuator is unlimited). */
    public double[] ctrlLow() {
        return ctrlLow.clone();
    }

    /** Upper control limits (+∞ where the actuator is unlimited). */
    public double[] ctrlHigh() {
        return ctrlHigh.clone();
    }

    synchronized long acquire() {
        if (closed) {
            throw new IllegalStateException("model " + name + " is closed");
        }
        users++;
        return handle;
    }

    synchronized void release() {
        users--;
        freeIfUnused();
    }

    long handle() {
        return handle;
    }

    @Override
    public synchronized void close() {
        if (shared || closed) {
            return;
        }
        closed = true;
        users--;
        freeIfUnused();
    }

    private void freeIfUnused() {
        if (users == 0 && handle != 0) {
            MujocoNative.freeModel(handle);
            handle = 0;
        }
    }

    @Override
    public String toString() {
        return "MujocoModel[" + name + ", nq=" + nq + ", nv=" + nv + ", nu=" + nu + ", timestep=" + timestep + "]";
    }
}
