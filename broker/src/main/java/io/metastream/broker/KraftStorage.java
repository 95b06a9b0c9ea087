package io.metastream.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk side of a single-node KRaft broker: formatting the log directory (what
 * {@code kafka-storage.sh format} does, through Kafka's own {@link Formatter}) and deleting it.
 */
final class KraftStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);

    /** Written by the formatter into every formatted log directory; its presence means "formatted". */
    static final String META_PROPERTIES = "meta.properties";

    /** Kafka's per-directory lock file (LogManager.LockFileName). */
    static final String LOCK_FILE = ".lock";

    /**
     * The metadata log gets its own directory below the broker's log dir, apart from the topic
     * data: Kafka then locks it before opening the metadata log, so a second broker pointed at the
     * same log dir fails cleanly instead of writing into the first broker's metadata log (in
     * combined mode with one shared directory the lock is only taken after the log is opened).
     */
    static Path metadataDir(Path logDir) {
        return logDir.resolve("metadata");
    }

    /** Topic partitions (and the internal offsets and transaction-state topics). */
    static Path dataDir(Path logDir) {
        return logDir.resolve("data");
    }

    private KraftStorage() {
    }

    static boolean isFormatted(Path logDir) {
        return Files.isRegularFile(metadataDir(logDir).resolve(META_PROPERTIES));
    }

    /**
     * Formats the metadata and data directories below {@code logDir} for node {@code nodeId} with a new
     * random cluster id and the latest production metadata version, unless it is formatted already
     * (then its cluster id and data are kept, which is what makes a restart keep the topics).
     */
    static void formatIfNeeded(Path logDir, int nodeId, String controllerListenerName) {
        if (isFormatted(logDir)) {
            return;
        }
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        String dir = logDir.toAbsolutePath().toString();
        String metadata = metadataDir(logDir).toAbsolutePath().toString();
        try (PrintStream out = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(logDir);
            new Formatter()
                .setPrintStream(out)
                .setNodeId(nodeId)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(controllerListenerName)
                .addDirectory(metadata)
                .addDirectory(dataDir(logDir).toAbsolutePath().toString())
                .setMetadataLogDirectory(metadata)
                .run();
        } catch (Exception e) {
            throw new BrokerStartException("could not format KRaft log directory " + dir + ": " + e.getMessage(), e);
        }
        LOG.debug("formatted {}: {}", dir, formatterOutput.toString(StandardCharsets.UTF_8).trim());
    }

    /**
     * Fails if a Kafka broker, in this JVM or another process, holds the {@code .lock} file of the
     * metadata or data directory (Kafka's own check comes later and ends in a fatal fault).
     */
    static void requireNotLocked(Path logDir) {
        for (Path dir : new Path[] {metadataDir(logDir), dataDir(logDir)}) {
            Path lockFile = dir.resolve(LOCK_FILE);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw lockedBy("another process", dir);
                }
                lock.release();
            } catch (OverlappingFileLockException e) {
                throw lockedBy("another broker in this JVM", dir);
            } catch (IOException e) {
                throw new BrokerStartException("cannot check the lock of Kafka log directory " + dir + ": " + e, e);
            }
        }
    }

    private static BrokerStartException lockedBy(String owner, Path dir) {
        return new BrokerStartException("cannot start embedded Kafka broker: log directory " + dir
            + " is locked by " + owner + "; give every broker its own logDir");
    }

    /** Deletes {@code dir} and everything below it; a missing directory is not an error. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
