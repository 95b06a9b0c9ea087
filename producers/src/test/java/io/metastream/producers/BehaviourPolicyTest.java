package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metastream.schemas.PolicyParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class BehaviourPolicyTest {

  @Test
  void decodesRowMajorLogitsIntoTheTabularPolicy() {
    double[] logits = Fixtures.logits(5);

    BehaviourPolicy p = BehaviourPolicy.from(Fixtures.metaPrior("phi-0", 0, logits));

    assertThat(p.policyId()).isEqualTo("phi-0");
    assertThat(p.policy().nStates()).isEqualTo(16);
    assertThat(p.policy().nActions()).isEqualTo(4);
    assertThat(p.policy().theta()).containsExactly(logits);
  }

  @Test
  void rejectsUnknownPolicyTypeAndBadShapeNamingThePolicy() {
    PolicyParams gaussian = Fixtures.metaPrior("phi-g", 0, Fixtures.logits(5));
    gaussian = PolicyParams.newBuilder(gaussian).setPolicyType("gaussian-mlp").build();
    PolicyParams flat = PolicyParams.newBuilder(Fixtures.metaPrior("phi-f", 0, Fixtures.logits(5)))
        .setShape(List.of(64)).build();
    PolicyParams shortParams = PolicyParams.newBuilder(Fixtures.metaPrior("phi-s", 0, Fixtures.logits(5)))
        .setShape(List.of(16, 5)).build();

    PolicyParams g = gaussian;
    assertThatThrownBy(() -> BehaviourPolicy.from(g)).hasMessageContaining("phi-g").hasMessageContaining("gaussian-mlp");
    assertThatThrownBy(() -> BehaviourPolicy.from(flat)).hasMessageContaining("phi-f").hasMessageContaining("[64]");
    assertThatThrownBy(() -> BehaviourPolicy.from(shortParams)).hasMessageContaining("phi-s")
        .hasMessageContaining("16x5");
  }
}
