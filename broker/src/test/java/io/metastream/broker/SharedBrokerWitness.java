package io.metastream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Remembers every shared broker the test classes were given, whatever order they run in. */
final class SharedBrokerWitness {

    private static final Set<EmbeddedKafkaBroker> SEEN = Collections.synchronizedSet(
        Collections.newSetFromMap(new IdentityHashMap<>()));

    private SharedBrokerWitness() {
    }

    /** Asserts that {@code injected} is the one started shared broker of this JVM. */
    static void assertSingleSharedBroker(EmbeddedKafkaBroker injected) {
        SEEN.add(injected);
        assertThat(injected).isSameAs(SharedKafkaBroker.broker());
        assertThat(SEEN).as("distinct shared brokers seen by test classes").hasSize(1);
        assertThat(injected.isRunning()).isTrue();
        assertThat(injected.startCount()).isEqualTo(1);
    }
}
