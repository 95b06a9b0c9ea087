package io.metastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeRoundTripTest {

  private static <T extends SpecificRecord> T roundTrip(AvroSerde<T> serde, T record) {
    byte[] bytes = serde.serializer().serialize("any-topic", record);
    return serde.deserializer().deserialize("any-topic", bytes);
  }

  @Test
  void assignmentRoundTripsEqual() {
    assertThat(roundTrip(MetastreamSerdes.assignment(), Samples.assignment()))
        .isEqualTo(Samples.assignment());
  }

  @Test
  void adaptedPolicyAndMetaPriorWithNullParentRoundTripEqual() {
    assertThat(roundTrip(MetastreamSerdes.policyParams(), Samples.policyParams()))
        .isEqualTo(Samples.policyParams());
    PolicyParams prior = roundTrip(MetastreamSerdes.policyParams(), Samples.metaPrior());
    assertThat(prior).isEqualTo(Samples.metaPrior());
    assertThat(prior.getParentId()).isNull();
    assertThat(prior.getTaskId()).isNull();
  }

  @Test
  void trajectoryRoundTripsEqualBitForBit() {
    Trajectory back = roundTrip(MetastreamSerdes.trajectory(), Samples.trajectory());
    assertThat(back).isEqualTo(Samples.trajectory());
    assertThat(back.getBehaviourLogProbs().get(0)).isEqualTo(-1.3862943611198906);
  }

  @Test
  void continuousMetaGradientRoundTripsWithItsTerms() {
    TaskMetaGradient back = roundTrip(MetastreamSerdes.metaGradient(), Samples.continuousMetaGradient());
    assertThat(back).isEqualTo(Samples.continuousMetaGradient());
    assertThat(back.getContinuous().getStates()).containsExactly(0.1, -0.2, 0.3, 0.4);
  }

  @Test
  void metaGradientRoundTripsEqualIncludingNaN() {
    TaskMetaGradient back = roundTrip(MetastreamSerdes.metaGradient(), Samples.metaGradient());
    assertThat(back).isEqualTo(Samples.metaGradient());
    assertThat(back.getGradient().get(2)).isNaN();
  }

  @Test
  void metricsRoundTripsEqual() {
    assertThat(roundTrip(MetastreamSerdes.metrics(), Samples.metrics())).isEqualTo(Samples.metrics());
  }

  @Test
  void controlRecordRoundTripsBothPayloads() {
    ControlRecord manifest = roundTrip(MetastreamSerdes.control(), Samples.manifest());
    ControlRecord decision = roundTrip(MetastreamSerdes.control(), Samples.decision());
    assertThat(manifest).isEqualTo(Samples.manifest());
    assertThat(manifest.getPayload()).isInstanceOf(ExperimentManifest.class);
    assertThat(decision).isEqualTo(Samples.decision());
    assertThat(decision.getPayload()).isInstanceOf(TrainerDecision.class);
  }

  @Test
  void deadLetterRoundTripsKeyBytesAndNullValue() {
    DeadLetter back = roundTrip(MetastreamSerdes.deadLetter(), Samples.deadLetter());
    assertThat(back).isEqualTo(Samples.deadLetter());
    assertThat(back.getValue()).isNull();
  }

  @Test
  void nullMapsToNullBothWays() {
    AvroSerde<Trajectory> serde = MetastreamSerdes.trajectory();
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }
}
