package io.metastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code compare} writes one combined table and plot of several methods over seeds; bad methods are one-line errors. */
class CompareCommandTest {

    @Test
    void comparesMethodsOnFrozenLakeHighOverThreeSeeds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        int code = MetastreamCommand.execute("compare", "--config", "../configs/frozenlake-high-alg1.yaml",
                "--methods", "bomrl-alg1,bomrl-alg2,random-init,policy-gradient", "--seeds", "3",
                "--set", "iterations=4", "--set", "episodes=60", "--set", "sarsa-sweeps=2", "--set", "test-steps=2",
                "--out", out.toString());
        assertThat(code).isZero();
        List<String> rows = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(rows.get(0)).isEqualTo("method,family,alg,step,mean,std,seeds");
        assertThat(rows).hasSize(1 + 4 * 3);
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).contains(",frozenlake-high,").endsWith(",3"));
        assertThat(rows).filteredOn(r -> r.startsWith("bomrl,frozenlake-high,alg2,1,")).hasSize(1);
        assertThat(rows).filteredOn(r -> r.startsWith("random-init,frozenlake-high,alg1,")).hasSize(3);
        // three seeds differ: the BO-MRL curves have a spread after one step
        String alg1Step1 = rows.stream().filter(r -> r.startsWith("bomrl,frozenlake-high,alg1,1,")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(alg1Step1.split(",")[5])).isPositive();
        assertThat(out.resolve("compare.png")).isNotEmptyFile();
    }

    @Test
    void unknownAndContinuousOnlyMethodsAreOneLineErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            assertThat(MetastreamCommand.execute("compare", "--config", "../configs/frozenlake-high-alg1.yaml",
                    "--methods", "bomrl-alg1,mamal")).isEqualTo(1);
            assertThat(MetastreamCommand.execute("compare", "--config", "../configs/frozenlake-high-alg1.yaml",
                    "--methods", "promp")).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).contains("unknown method 'mamal'").contains("'promp' is a continuous-control baseline");
    }
}
