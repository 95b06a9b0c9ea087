package io.metastream.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a run writes its files: {@code --out DIR}, by default {@code runs/<experiment-id>}. */
final class OutputOptions {

    @Option(names = "--out", description = "Run directory (default: runs/<experiment-id>).")
    Path out;

    Path directory(RunConfig ef) {
        return out != null ? out : Path.of("runs", ef.experimentId());
    }
}
