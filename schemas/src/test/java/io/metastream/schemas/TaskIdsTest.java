package io.metastream.schemas;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The task-id forms: what the trainer writes parses back; only the canonical spelling parses. */
class TaskIdsTest {

    @Test
    void trainingIdsRoundTripAndOnlyTheCanonicalSpellingParses() {
        assertThat(TaskIds.training(7, 2)).isEqualTo("r0007-s02");
        assertThat(TaskIds.parseTraining("r0007-s02")).contains(new TaskIds.Training(7, 2));
        assertThat(TaskIds.parseTraining(TaskIds.training(123456, 345))).contains(new TaskIds.Training(123456, 345));
        assertThat(TaskIds.parseTraining("r7-s2")).isEmpty();
        assertThat(TaskIds.parseTraining("r00007-s02")).isEmpty();
        assertThat(TaskIds.parseTraining("r0007-s2")).isEmpty();
        assertThat(TaskIds.looksLikeTraining("r0007-s02")).isTrue();
        assertThat(TaskIds.looksLikeTraining("round")).isFalse();
    }

    @Test
    void metaTestIdsRoundTripAndOnlyTheCanonicalSpellingParses() {
        assertThat(TaskIds.metaTest(12, 3)).isEqualTo("eval-v12-t03").startsWith(TaskIds.metaTestPrefix(12));
        assertThat(TaskIds.parseMetaTest("eval-v12-t03")).contains(new TaskIds.MetaTest(12, 3));
        assertThat(TaskIds.parseMetaTest("eval-v012-t03")).isEmpty();
        assertThat(TaskIds.parseMetaTest("eval-v12-t3")).isEmpty();
        assertThat(TaskIds.parseMetaTest("r0007-s02")).isEmpty();
    }
}
