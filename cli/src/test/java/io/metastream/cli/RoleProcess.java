package io.metastream.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code metastream} role (worker, adapter, trainer) in its own JVM, for fault-injection tests:
 * {@code java <JVM_OPTIONS> -cp <this JVM's class path> io.metastream.cli.MetastreamCommand <args>},
 * stdout and stderr to {@code <dir>/<name>.log}. {@link #kill()} is SIGKILL (no shutdown hook
 * runs: the role dies as on a machine crash), {@link #stop} is SIGTERM (the role's shutdown hook
 * closes its clients). Every failure message carries the tail of the role's log.
 */
final class RoleProcess implements AutoCloseable {

    /**
     * Small heap, one GC thread, C1 only: a role of a small test run needs little memory, and on two
     * cores shared by four role JVMs, the test JVM and its broker, C2 compilation costs more than it
     * gains (a 5-round Frozen Lake run took 8.3-8.7 s with C1 only, 10.0-10.8 s with both tiers).
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** Exit codes of a JVM ended by a signal: 128 + signal number. */
    static final int SIGKILL_EXIT = 128 + 9;
    static final int SIGTERM_EXIT = 128 + 15;

    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;

    private RoleProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code metastream <args>} as {@code name}, logging to {@code <dir>/<name>.log}. */
    static RoleProcess start(String name, Path dir, List<String> args) {
        return start(name, dir, List.of(), JVM_OPTIONS, args);
    }

    /**
     * As {@link #start(String, Path, List)} with the JVM's own options (e.g. a full {@code run} that needs C2 and the
     * Vector API) and no file of the process may grow past {@code maxFileBlocks} × 512 bytes ({@code ulimit -f} of
     * {@code /bin/sh}): a write beyond fails with "File too large", as on a full disk, for that process only.
     */
    static RoleProcess startWithFileSizeLimit(String name, Path dir, long maxFileBlocks, List<String> jvmOptions,
                                              List<String> args) {
        return start(name, dir, List.of("/bin/sh", "-c", "ulimit -f " + maxFileBlocks + " && exec \"$0\" \"$@\""),
                jvmOptions, args);
    }

    private static RoleProcess start(String name, Path dir, List<String> prefix, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(MetastreamCommand.class.getName());
        command.addAll(args);
        Path log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new RoleProcess(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start role " + name + ": " + command, e);
        }
    }

    /**
     * The test class path. Surefire starts the test JVM as {@code java -jar target/surefire/surefirebooter-*.jar},
     * a manifest-only jar, so {@code java.class.path} names only that jar (its Class-Path entries
     * would be followed under {@code -cp} too, but the jar is surefire's temporary file); the real
     * class path is in {@code surefire.test.class.path}. Outside surefire (an IDE)
     * {@code java.class.path} is the real one.
     */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return log;
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until the process is gone;
     * fails unless it died of SIGKILL (a role that exited by itself before is no fault injected).
     */
    void kill() {
        process.destroyForcibly();
        int code = waitFor(Duration.ofSeconds(30), "to die of SIGKILL");
        if (code != SIGKILL_EXIT) {
            throw new AssertionError(describe("was to be killed but exited with code " + code));
        }
    }

    /** Sends SIGTERM and returns at once; {@link #awaitExit} waits for the shutdown. */
    void terminate() {
        process.destroy();
    }

    /** SIGTERM, then waits up to {@code timeout} for the shutdown; returns the exit code (143 after a clean shutdown hook). */
    int stop(Duration timeout) {
        terminate();
        return awaitExit(timeout);
    }

    /**
     * Waits up to {@code timeout} for the process to end and returns its exit code; on timeout kills
     * it and fails with the log tail.
     */
    int awaitExit(Duration timeout) {
        return waitFor(timeout, "to exit");
    }

    /** Fails with the exit code and the log tail unless the process is still running. */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(describe("exited unexpectedly with code " + process.exitValue()));
        }
    }

    /** The whole log so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + name, e);
        }
    }

    /** {@code <name> (pid N) <what>}, then the last lines of its log: for assertion messages. */
    String describe(String what) {
        List<String> lines = log().lines().toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return name + " (pid " + pid() + ") " + what + "; last " + tail.size() + " lines of " + log + ":\n  "
                + String.join("\n  ", tail);
    }

    private int waitFor(Duration timeout, String what) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String message = describe("did not " + what.replaceFirst("^to ", "") + " within " + timeout);
                close();
                throw new AssertionError(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " " + what, e);
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs (test clean-up). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
