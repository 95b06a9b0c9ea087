package io.metastream.schemas;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task-id forms of the record contract, in one place for the trainer (which writes them), the
 * workers and the adapter (which check them): a training task {@code r<round:4>-s<slot:2>} (e.g.
 * {@code r0007-s02}) and a meta-test task {@code eval-v<version>-t<index:2>} (e.g. {@code eval-v12-t03}).
 * Only the canonical spelling parses: {@code r7-s2} or {@code eval-v012-t3} do not.
 */
public final class TaskIds {

    /** A parsed training task id. */
    public record Training(int round, int slot) {
    }

    /** A parsed meta-test task id. */
    public record MetaTest(long version, int index) {
    }

    /** The message part naming the training form, for errors. */
    public static final String TRAINING_FORM = "r<round:4 digits>-s<slot:2 digits>";

    /** The message part naming the meta-test form, for errors. */
    public static final String META_TEST_FORM = "eval-v<version>-t<index:2 digits>";

    private static final Pattern TRAINING = Pattern.compile("r(\\d{4,9})-s(\\d{2,9})");
    private static final Pattern META_TEST = Pattern.compile("eval-v(\\d{1,18})-t(\\d{2,9})");

    private TaskIds() {
    }

    /** The id of slot {@code slot} in round {@code round}: {@code r0007-s02}. */
    public static String training(int round, int slot) {
        return String.format("r%04d-s%02d", round, slot);
    }

    /** The prefix of the meta-test ids of meta-prior {@code version}: {@code eval-v12-t}. */
    public static String metaTestPrefix(long version) {
        return "eval-v" + version + "-t";
    }

    /** The id of test task {@code index} of meta-prior {@code version}: {@code eval-v12-t03}. */
    public static String metaTest(long version, int index) {
        return metaTestPrefix(version) + String.format("%02d", index);
    }

    /** Whether the id looks like a training id ({@code r} and a digit): then {@link #parseTraining} decides. */
    public static boolean looksLikeTraining(String id) {
        return id.length() > 1 && id.charAt(0) == 'r' && Character.isDigit(id.charAt(1));
    }

    /** The round and slot of a canonical training id, or empty. */
    public static Optional<Training> parseTraining(String id) {
        Matcher m = TRAINING.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        int round = Integer.parseInt(m.group(1));
        int slot = Integer.parseInt(m.group(2));
        return id.equals(training(round, slot)) ? Optional.of(new Training(round, slot)) : Optional.empty();
    }

    /** The version and index of a canonical meta-test id, or empty. */
    public static Optional<MetaTest> parseMetaTest(String id) {
        Matcher m = META_TEST.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        long version = Long.parseLong(m.group(1));
        int index = Integer.parseInt(m.group(2));
        return id.equals(metaTest(version, index)) ? Optional.of(new MetaTest(version, index)) : Optional.empty();
    }
}
