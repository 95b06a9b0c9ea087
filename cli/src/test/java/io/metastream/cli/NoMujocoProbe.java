package io.metastream.cli;

import io.metastream.mujoco.MujocoNative;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a JVM whose MuJoCo library cannot load (see ContinuousExperimentFileTest): prints whether
 * MuJoCo is available, loads each config file given, then starts a {@code worker} of the first one,
 * which must fail with exit code 1. Exits 0 when all of that happened, 2 otherwise.
 */
final class NoMujocoProbe {

    private NoMujocoProbe() {
    }

    public static void main(String[] args) {
        System.out.println("probe mujoco-available=" + MujocoNative.isAvailable());
        for (String a : args) {
            System.out.println("probe loaded " + RunConfig.load(Path.of(a), List.of()).experimentId());
        }
        int code = MetastreamCommand.execute("worker", "--config", args[0], "--bootstrap-servers", "127.0.0.1:1");
        System.exit(code == 1 ? 0 : 2);
    }
}
