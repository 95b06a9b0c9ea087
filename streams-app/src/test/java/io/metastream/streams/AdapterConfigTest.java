package io.metastream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.meta.TabularExperimentConfig;
import org.junit.jupiter.api.Test;

class AdapterConfigTest {

    private final TabularExperimentConfig paper = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 1);

    @Test
    void batchIsThePapersEpisodesPerCollection() {
        AdapterConfig config = AdapterConfig.of("frozenlake-high", paper);
        assertThat(config.episodesPerBatch()).isEqualTo(500);
        assertThat(config.applicationId()).isEqualTo("frozenlake-high-adapter");
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertThatThrownBy(() -> new AdapterConfig("exp", paper, 0)).hasMessageContaining("episodes-per-batch");
        assertThatThrownBy(() -> new AdapterConfig("bad id", paper, 5)).hasMessageContaining("experiment id");
    }
}
