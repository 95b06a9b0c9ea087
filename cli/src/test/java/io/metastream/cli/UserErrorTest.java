package io.metastream.cli;

import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Kafka's security failures, however deeply wrapped, become one-line user errors; a bug keeps its stack trace. */
class UserErrorTest {

    @Test
    void authorizationFailuresNameTheDeniedResourceAndTheAclsTheRolesNeed() {
        String topic = MetastreamCommand.userError(new IllegalStateException("send failed", new ExecutionException(
                new TopicAuthorizationException(Set.of("exp1.trajectories")))));
        assertThat(topic).startsWith("the Kafka cluster denied an operation to this principal:")
                .contains("exp1.trajectories", "Read/Write/Describe on the topics <experiment>.*").doesNotContain("\n");
        String group = MetastreamCommand.userError(new GroupAuthorizationException("Not authorized to access group: exp1-workers"));
        assertThat(group).contains("exp1-workers", "consumer groups");
    }

    @Test
    void authenticationFailuresAndBugsAreToldApart() {
        assertThat(MetastreamCommand.userError(new ExecutionException(new SaslAuthenticationException("bad password"))))
                .startsWith("the Kafka cluster refused authentication: bad password");
        assertThat(MetastreamCommand.userError(new NullPointerException("a bug"))).isNull();
    }
}
