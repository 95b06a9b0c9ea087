package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  @Test
  void defaultsDeriveGroupAndTopicsFromTheExperiment() {
    WorkerConfig c = WorkerConfig.of("frozenlake-high", "w1", "127.0.0.1:9092");

    assertThat(c.groupId()).isEqualTo("frozenlake-high-workers");
    assertThat(c.assignmentsTopic()).isEqualTo("frozenlake-high.assignments");
    assertThat(c.policiesTopic()).isEqualTo("frozenlake-high.policies");
    assertThat(c.trajectoriesTopic()).isEqualTo("frozenlake-high.trajectories");
    assertThat(c.maxInFlightEpisodes()).isEqualTo(WorkerConfig.DEFAULT_MAX_IN_FLIGHT_EPISODES);
  }

  @Test
  void invalidValuesFailWithTheKeyName() {
    WorkerConfig c = WorkerConfig.of("exp", "w1", "127.0.0.1:9092");

    assertThatThrownBy(() -> c.withMaxInFlightEpisodes(0)).hasMessageStartingWith(WorkerConfig.MAX_IN_FLIGHT_EPISODES);
    assertThatThrownBy(() -> c.withPolicyWait(Duration.ZERO)).hasMessageStartingWith(WorkerConfig.POLICY_WAIT);
    assertThatThrownBy(() -> c.withGroupId(" ")).hasMessageStartingWith(WorkerConfig.GROUP_ID);
    assertThatThrownBy(() -> WorkerConfig.of("bad id", "w1", "x:1")).hasMessageStartingWith(WorkerConfig.EXPERIMENT_ID);
    assertThatThrownBy(() -> c.withClientProperties(Map.of("acks", "1")))
        .hasMessageStartingWith(WorkerConfig.CLIENT_PROPERTIES).hasMessageContaining("'acks'");
  }

  @Test
  void clientPropertiesAreCopied() {
    Map<String, String> props = new HashMap<>(Map.of("security.protocol", "PLAINTEXT"));
    WorkerConfig c = WorkerConfig.of("exp", "w1", "127.0.0.1:9092").withClientProperties(props);
    props.put("linger.ms", "50");

    assertThat(c.clientProperties()).containsOnlyKeys("security.protocol");
  }
}
