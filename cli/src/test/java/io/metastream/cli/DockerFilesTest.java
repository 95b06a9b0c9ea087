package io.metastream.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container files, checked without a container engine (none runs on our machines, docker/README.md): the
 * Dockerfile's build stage run on exactly the files it copies ({@code docker/check-build.sh}), which fails when a
 * module of the reactor is not copied; and both compose files validated by {@code docker-compose config}, with the
 * broker's log and the trainer's runs on named volumes, a listener for the host and bounded restarts.
 */
class DockerFilesTest {

    private static final Path DOCKER = Path.of("..", "docker");

    @Test
    void theDockerfilesBuildStepsPassOnExactlyTheFilesItCopiesAndFailWithoutAModule(@TempDir Path dir) throws Exception {
        Run ok = run(List.of("bash", DOCKER.resolve("check-build.sh").toString()));
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("check-build: every build step of").contains("BUILD SUCCESS");

        List<String> withoutMujoco = Files.readAllLines(DOCKER.resolve("Dockerfile")).stream()
                .filter(l -> !l.startsWith("COPY mujoco/")).toList();
        assertThat(withoutMujoco).hasSize(Files.readAllLines(DOCKER.resolve("Dockerfile")).size() - 2);
        Path broken = Files.write(dir.resolve("Dockerfile"), withoutMujoco);
        Run failed = run(List.of("bash", DOCKER.resolve("check-build.sh").toString(), broken.toString()));
        assertThat(failed.exit()).as(failed.output()).isNotZero();
        assertThat(failed.output()).containsPattern("Child module \\S+/src/mujoco of \\S+/src/pom.xml does not exist")
                .contains("check-build: step").contains("failed: RUN mvn");
    }

    @Test
    void bothComposeFilesAreValidKeepTheLogAndRunsOnVolumesAndRestartBoundedly() throws Exception {
        boolean installed = run(List.of("sh", "-c", "command -v docker-compose")).exit() == 0;
        Assumptions.assumeTrue(installed || System.getenv("CI") != null,
                "docker-compose is not installed (apt-get install docker-compose; .ci/run installs it)");
        for (String file : List.of("compose.yaml", "compose.cluster.yaml")) {
            Run config = run(List.of("docker-compose", "-f", DOCKER.resolve(file).toString(), "config"));
            assertThat(config.exit()).as(file + ": " + config.output()).isZero();
            String text = config.output();
            assertThat(text).as(file).contains("KAFKA_LOG_DIRS: /var/lib/kafka/data", "/var/lib/kafka/data:rw",
                    "runs:/app/runs:rw", "EXTERNAL://localhost:2909", "127.0.0.1:29092:29092/tcp", "restart: on-failure:3");
            assertThat(text.lines().filter(l -> l.strip().startsWith("restart:")))
                    .as(file + ": every restart policy is bounded or deliberate")
                    .allMatch(l -> l.contains("on-failure:3") || l.contains("unless-stopped") || l.contains("\"no\""));
        }
        Run cluster = run(List.of("docker-compose", "-f", DOCKER.resolve("compose.cluster.yaml").toString(), "config"));
        assertThat(cluster.output()).contains("KAFKA_MIN_INSYNC_REPLICAS: 2", "KAFKA_DEFAULT_REPLICATION_FACTOR: 3",
                "- --replication", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
