package io.metastream.cli;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.estimate.AdvantageBaseline;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.MetaMethod;
import io.metastream.mujoco.task.LocomotionFamilies;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Continuous config files: the shipped ones, validation with key-naming one-line errors, the canonical text, dispatch. */
class ContinuousExperimentFileTest {

    private static final Path CONFIGS = Path.of("..", "configs");

    @Test
    void shippedContinuousConfigsHoldThePapersSettings() {
        for (String family : LocomotionFamilies.NAMES) {
            RunConfig c = RunConfig.load(CONFIGS.resolve(family + "-alg1.yaml"), List.of());
            assertThat(c).isInstanceOf(ContinuousExperimentFile.class);
            assertThat(c.experimentId()).isEqualTo(family + "-alg1");
            assertThat(c.experiment()).as(family)
                    .isEqualTo(ContinuousExperimentConfig.paper(family, ContinuousAlgorithm.ALG1, 0, ContinuousExperimentConfig.FORMAT));
        }
        RunConfig pointNav = RunConfig.load(CONFIGS.resolve("pointnav-alg1.yaml"), List.of());
        assertThat(pointNav.experiment()).isEqualTo(ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 0));
        assertThat(((ContinuousExperimentConfig) RunConfig.load(CONFIGS.resolve("ant-dir-alg1.yaml"), List.of()).experiment())
                .preRollouts()).isEqualTo(40);
        // the baselines: the paper's BO-MRL setting with only the method changed (MAML-TRPO on every family,
        // ProMP and E-MAML where the authors report them), and the short HalfCheetah-Vel run: only fewer iterations
        int baselines = 0;
        for (String family : LocomotionFamilies.NAMES) {
            for (MetaMethod m : List.of(MetaMethod.MAML_TRPO, MetaMethod.PROMP, MetaMethod.E_MAML)) {
                Path file = CONFIGS.resolve(family + "-" + m.label() + ".yaml");
                if (!Files.exists(file)) {
                    assertThat(family + "/" + m.label()).isIn("ant-vel/promp", "ant-vel/e-maml");
                    continue;
                }
                RunConfig c = RunConfig.load(file, List.of());
                assertThat(c.experimentId()).isEqualTo(family + "-" + m.label());
                assertThat(c.experiment()).as(file.toString())
                        .isEqualTo(ContinuousExperimentConfig.paper(family, ContinuousAlgorithm.ALG1, 0, 2).withMethod(m));
                baselines++;
            }
        }
        assertThat(baselines).isEqualTo(10);
        assertThat(RunConfig.load(CONFIGS.resolve("halfcheetah-vel-short.yaml"), List.of()).experiment())
                .isEqualTo(ContinuousExperimentConfig.paper("halfcheetah-vel", ContinuousAlgorithm.ALG1, 0, 2).withIterations(30));
        // the standardised-advantages experiment: the paper's BO-MRL setting with only that switch on
        ContinuousExperimentConfig std = (ContinuousExperimentConfig) RunConfig.load(
                CONFIGS.resolve("halfcheetah-vel-alg1-std.yaml"), List.of()).experiment();
        assertThat(std.standardizeAdvantages()).isTrue();
        assertThat(std).isEqualTo(((ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"),
                List.of("standardize-advantages=true"))).experiment());
        // the linear-feature-baseline experiment: the paper's BO-MRL setting with only the baseline changed
        ContinuousExperimentConfig lfb = (ContinuousExperimentConfig) RunConfig.load(
                CONFIGS.resolve("halfcheetah-vel-alg1-lfb.yaml"), List.of()).experiment();
        assertThat(lfb.advantageBaseline()).isEqualTo(AdvantageBaseline.LINEAR_FEATURE);
        assertThat(lfb).isEqualTo(((ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"),
                List.of("advantage-baseline=linear-feature"))).experiment());
        // and MAML-TRPO with the same baseline, for the like-for-like comparison
        ContinuousExperimentConfig mamlLfb = (ContinuousExperimentConfig) RunConfig.load(
                CONFIGS.resolve("halfcheetah-vel-maml-trpo-lfb.yaml"), List.of()).experiment();
        assertThat(mamlLfb.advantageBaseline()).isEqualTo(AdvantageBaseline.LINEAR_FEATURE);
        assertThat(mamlLfb).isEqualTo(((ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-maml-trpo.yaml"),
                List.of("advantage-baseline=linear-feature"))).experiment());
    }

    @Test
    void everyShippedConfigLoadsAsItsKind() throws IOException {
        int tabular = 0;
        int continuous = 0;
        try (var files = Files.list(CONFIGS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                RunConfig c = RunConfig.load(p, List.of());
                assertThat(p.getFileName().toString()).startsWith(c.experimentId());
                if (c instanceof ExperimentFile ef) {
                    assertThat(ExperimentFile.load(p, List.of())).isEqualTo(ef);
                    tabular++;
                } else {
                    assertThat(RunConfig.isContinuous(c.experiment().family())).isTrue();
                    continuous++;
                }
            }
        }
        assertThat(tabular).isGreaterThanOrEqualTo(5);
        assertThat(continuous).isEqualTo(19);
    }

    @Test
    void canonicalTextParsesBackToTheSameConfig() {
        List<ContinuousExperimentFile> configs = new ArrayList<>();
        for (String name : List.of("pointnav", "halfcheetah-vel", "ant-dir")) {
            configs.add((ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve(name + "-alg1.yaml"), List.of()));
        }
        configs.add((ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("pointnav-alg1.yaml"),
                List.of("hidden=[7, 5, 3]", "inner-max-kl=Infinity", "normalize-observations=false", "alg=3",
                        "cg-damping=1.0E-7", "gamma=0.9999999999999999", "seed=-12", "max-staleness=2", "workers=5")));
        for (ContinuousExperimentFile c : configs) {
            ContinuousExperimentFile back = ContinuousExperimentFile.parse(c.canonicalText(), "canonical", List.of());
            assertThat(back.experiment()).isEqualTo(c.experiment());
            assertThat(back.canonicalText()).isEqualTo(c.canonicalText());
            assertThat(back.withExperimentId(c.experimentId()).maxStaleness()).isEqualTo(c.maxStaleness());
        }
        ContinuousExperimentConfig odd = configs.get(3).experiment();
        assertThat(odd.hidden()).containsExactly(7, 5, 3);
        assertThat(odd.innerMaxKl()).isInfinite();
        assertThat(odd.normalizeObservations()).isFalse();
        assertThat(odd.algorithm()).isEqualTo(ContinuousAlgorithm.ALG3);
        assertThat(odd.gamma()).isEqualTo(0.9999999999999999);
        assertThat(configs.get(3).canonicalText()).doesNotContain("workers")
                .contains("hidden: 7,5,3\n", "normalize-observations: false\n", "max-staleness: 2\n");
    }

    @Test
    void typoInAContinuousKeyIsAOneLineErrorNamingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: pointnav\nalg: 1\nhiden: 8\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("unknown key 'hiden'")
                .hasMessageContaining("hidden, horizon").hasMessageNotContaining("\n");
        assertThat(runCommand("worker", "--config", f.toString(), "--bootstrap-servers", "127.0.0.1:1"))
                .isEqualTo("metastream: config " + f + ": unknown key 'hiden' (known keys for a continuous experiment: "
                        + String.join(", ", new java.util.TreeSet<>(ContinuousExperimentFile.KEYS)) + ")");
    }

    @Test
    void badValuesNameTheKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: halfcheetah-vel\nalg: 2\n");
        ContinuousExperimentFile c = (ContinuousExperimentFile) RunConfig.load(f, List.of("iterations=7", "tasks-per-iteration=3"));
        assertThat(c.experiment().iterations()).isEqualTo(7);
        assertThat(c.experiment().tasksPerIteration()).isEqualTo(3);
        assertThat(c.experiment().algorithm()).isEqualTo(ContinuousAlgorithm.ALG2);
        assertThat(c.experiment().metaMaxKl()).isEqualTo(0.01);
        assertThatThrownBy(() -> RunConfig.load(f, List.of("hidden=128,x"))).hasMessageContaining("key 'hidden'");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("gamma=1.5"))).hasMessageContaining("gamma must be in (0, 1]");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("pre-rollouts=many"))).hasMessageContaining("'pre-rollouts' must be an integer");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("normalize-observations=maybe")))
                .hasMessageContaining("'normalize-observations' must be true or false");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("alg=4"))).hasMessageContaining("'alg'");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("meta-max-kl=0"))).hasMessageContaining("meta-max-kl");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("family=halfcheetah-jump"))).hasMessageContaining("key 'family'")
                .hasMessageContaining("frozenlake-high, frozenlake-low, pointnav, halfcheetah-vel");
        // a tabular key in a continuous file is unknown there
        assertThatThrownBy(() -> RunConfig.load(f, List.of("episodes=5"))).hasMessageContaining("unknown key 'episodes'");
    }

    @Test
    void baselineKeysParseRoundTripAndNameThemselvesWhenBad(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("b.yaml");
        Files.writeString(f, "experiment-id: b\nfamily: pointnav\nalg: 1\nmethod: promp\npromp-steps: 3\n");
        ContinuousExperimentFile c = (ContinuousExperimentFile) RunConfig.load(f, List.of("inner-step-size=0.05",
                "meta-learning-rate=0.002", "promp-clip=0.2", "promp-kl-weight=0.001"));
        ContinuousExperimentConfig e = c.experiment();
        assertThat(e.method()).isEqualTo(MetaMethod.PROMP);
        assertThat(List.of(e.innerStepSize(), e.metaLearningRate(), e.prompClip(), e.prompKlWeight()))
                .containsExactly(0.05, 0.002, 0.2, 0.001);
        assertThat(e.prompSteps()).isEqualTo(3);
        assertThat(c.canonicalText()).contains("method: promp\n", "inner-step-size: 0.05\n", "meta-learning-rate: 0.002\n",
                "promp-steps: 3\n", "promp-clip: 0.2\n", "promp-kl-weight: 0.001\n");
        ContinuousExperimentFile back = ContinuousExperimentFile.parse(c.canonicalText(), "canonical", List.of());
        assertThat(back.experiment()).isEqualTo(e);
        assertThat(back.canonicalText()).isEqualTo(c.canonicalText());
        assertThatThrownBy(c::requireRunnable).hasMessageStartingWith("key 'method': promp needs every task's PRE and POST"
                + " batches at the meta-step");
        for (String pipelined : List.of("bomrl", "maml-vpg", "maml-trpo", "e-maml")) {
            ((ContinuousExperimentFile) RunConfig.load(f, List.of("method=" + pipelined))).requireRunnable();
        }
        // left out: BO-MRL and the papers' baseline settings
        ContinuousExperimentConfig defaults = ((ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("pointnav-alg1.yaml"),
                List.of())).experiment();
        assertThat(defaults.method()).isEqualTo(MetaMethod.BOMRL);
        assertThat(defaults.innerStepSize()).isEqualTo(0.1);
        for (String label : List.of("bomrl", "maml-vpg", "maml-trpo", "promp", "e-maml")) {
            assertThat(((ContinuousExperimentConfig) RunConfig.load(f, List.of("method=" + label)).experiment()).method().label())
                    .isEqualTo(label);
        }
        assertThatThrownBy(() -> RunConfig.load(f, List.of("method=reptile"))).hasMessageContaining(f.toString())
                .hasMessageContaining("key 'method'").hasMessageContaining("bomrl, maml-vpg, maml-trpo, promp, e-maml")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("inner-step-size=0"))).hasMessageContaining("inner-step-size must be positive");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("inner-step-size=big"))).hasMessageContaining("'inner-step-size' must be a number");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("meta-learning-rate=-1"))).hasMessageContaining("meta-learning-rate must be positive");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("promp-steps=0"))).hasMessageContaining("promp-steps must be positive");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("promp-steps=2.5"))).hasMessageContaining("'promp-steps' must be an integer");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("promp-clip=1.5"))).hasMessageContaining("promp-clip must be in (0, 1)");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("promp-kl-weight=-0.1"))).hasMessageContaining("promp-kl-weight must be >= 0");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("promp-step=4"))).hasMessageContaining("unknown key 'promp-step'")
                .hasMessageContaining("promp-steps");
    }

    @Test
    void standardizeAdvantagesIsABoMrlOnlySwitchWrittenOnlyWhenOn(@TempDir Path dir) throws IOException {
        ContinuousExperimentFile plain = (ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"), List.of());
        assertThat(plain.experiment().standardizeAdvantages()).isFalse();
        assertThat(plain.canonicalText()).doesNotContain("standardize-advantages");   // configs made before the key still match
        ContinuousExperimentFile on = (ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"),
                List.of("standardize-advantages=true"));
        assertThat(on.experiment().standardizeAdvantages()).isTrue();
        assertThat(on.experiment()).isNotEqualTo(plain.experiment());
        assertThat(on.canonicalText()).contains("promp-kl-weight: 5.0E-4\nstandardize-advantages: true\nnumerics: 2\nconfig-format: 2\nmax-staleness: 0\n");
        ContinuousExperimentFile back = ContinuousExperimentFile.parse(on.canonicalText(), "canonical", List.of());
        assertThat(back.experiment()).isEqualTo(on.experiment());
        assertThat(back.canonicalText()).isEqualTo(on.canonicalText());
        // the baselines of compare keep it off (the MAML family always standardises)
        assertThat(on.experiment().withMethod(MetaMethod.MAML_TRPO).standardizeAdvantages()).isFalse();
        assertThat(on.experiment().withMethod(MetaMethod.BOMRL).standardizeAdvantages()).isTrue();
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "experiment-id: s\nfamily: pointnav\nalg: 1\nmethod: maml-trpo\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("standardize-advantages=true"))).hasMessageContaining(f.toString())
                .hasMessageContaining("standardize-advantages applies to method bomrl only (maml-trpo always standardises")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("method=bomrl", "standardize-advantages=yes")))
                .hasMessageContaining("key 'standardize-advantages' must be true or false, got 'yes'");
    }

    @Test
    void advantageBaselineIsParsedForEveryMethodAndWrittenOnlyWhenNotTheDefault() {
        ContinuousExperimentFile plain = (ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"), List.of());
        assertThat(plain.experiment().advantageBaseline()).isEqualTo(AdvantageBaseline.BATCH_MEAN);
        assertThat(plain.canonicalText()).doesNotContain("advantage-baseline");   // configs made before the key still match
        for (String method : List.of("bomrl", "maml-trpo")) {
            ContinuousExperimentFile lfb = (ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"),
                    List.of("method=" + method, "advantage-baseline=linear-feature"));
            assertThat(lfb.experiment().advantageBaseline()).isEqualTo(AdvantageBaseline.LINEAR_FEATURE);
            assertThat(lfb.canonicalText()).contains("promp-kl-weight: 5.0E-4\nadvantage-baseline: linear-feature\nnumerics: 2\nconfig-format: 2\nmax-staleness: 0\n");
            ContinuousExperimentFile back = ContinuousExperimentFile.parse(lfb.canonicalText(), "canonical", List.of());
            assertThat(back.experiment()).isEqualTo(lfb.experiment());
            assertThat(back.canonicalText()).isEqualTo(lfb.canonicalText());
        }
        ContinuousExperimentFile mean = (ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"),
                List.of("advantage-baseline=batch-mean"));
        assertThat(mean.canonicalText()).isEqualTo(plain.canonicalText());
        assertThatThrownBy(() -> RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"), List.of("advantage-baseline=linear")))
                .hasMessageContaining("halfcheetah-vel-alg1.yaml")
                .hasMessageContaining("key 'advantage-baseline': advantage-baseline must be one of batch-mean, linear-feature, got 'linear'")
                .hasMessageNotContaining("\n");
    }

    /** replay and report (which rebuild a recorded experiment) are tabular-only: a continuous one is a one-line error. */
    @Test
    void tabularOnlyCommandsRejectAContinuousConfigInOneLine() {
        RunConfig pointNav = RunConfig.load(CONFIGS.resolve("pointnav-alg1.yaml"), List.of());
        assertThatThrownBy(() -> RunConfig.requireTabular(pointNav, "replay"))
                .hasMessageStartingWith("'replay' supports only tabular (Frozen Lake) experiments; pointnav-alg1 is continuous")
                .message().doesNotContain("\n");
    }

    /**
     * Without the MuJoCo library (a JVM told to load it from a path that does not exist) every MuJoCo
     * config still loads, and a role that steps MuJoCo fails with one line saying how to install it.
     */
    @Test
    void mujocoConfigsLoadWithoutTheLibraryAndRolesSayHowToInstallIt(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dmetastream.mujoco.library=" + dir.resolve("no-such-lib.so"),
                "-cp", RoleProcess.classPath(), NoMujocoProbe.class.getName()));
        for (String family : LocomotionFamilies.NAMES) {
            command.add(CONFIGS.resolve(family + "-alg1.yaml").toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        List<String> lines = output.lines().filter(l -> l.startsWith("probe ") || l.startsWith("metastream:")).toList();
        assertThat(lines).as(output).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("probe mujoco-available=false");
        for (int i = 0; i < LocomotionFamilies.NAMES.size(); i++) {
            assertThat(lines.get(1 + i)).isEqualTo("probe loaded " + LocomotionFamilies.NAMES.get(i) + "-alg1");
        }
        assertThat(lines.get(5)).startsWith("metastream: family halfcheetah-vel: MuJoCo physics is not available")
                .contains("apt-get install -y libmujoco-dev");
    }

    /** Runs {@code metastream args}, expecting exit code 1; returns its stderr, stripped. */
    static String runCommand(String... args) {
        CapturedCommand.Result r = CapturedCommand.run(args);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        return r.err().strip();
    }

    /**
     * The numerics version: a config file without the key computes this code's numerics (2), recorded as
     * {@code numerics: 2}; a config recorded before the key existed (every committed result manifest) reads
     * back as numerics 1 with its canonical text unchanged, and every command that would compute with it
     * refuses in one line naming the code version that does.
     */
    @Test
    void numericsVersionIsRecordedAndOldRecordsAreRefusedInOneLine(@TempDir Path dir) throws IOException {
        ContinuousExperimentFile fresh = (ContinuousExperimentFile) RunConfig.load(CONFIGS.resolve("halfcheetah-vel-alg1.yaml"), List.of());
        assertThat(fresh.numerics()).isEqualTo(ContinuousExperimentFile.NUMERICS).isEqualTo(2);
        assertThat(fresh.canonicalText()).contains("\nnumerics: 2\nconfig-format: 2\nmax-staleness: 0\n");
        assertThat(((ContinuousExperimentFile) RunConfig.parseRecorded(fresh.canonicalText(), "m")).numerics()).isEqualTo(2);
        fresh.requireCurrentNumerics("replay");

        try (var results = Files.list(Path.of("..", "experiments", "results"))) {
            List<Path> manifests = results.map(d -> d.resolve("manifest.txt")).filter(Files::exists).toList();
            assertThat(manifests).hasSizeGreaterThanOrEqualTo(4);
            for (Path m : manifests) {
                String text = Files.readString(m);
                String recorded = text.substring(text.indexOf("# config (canonical, as recorded)\n") + 34, text.indexOf("\n# topics"));
                ContinuousExperimentFile old = (ContinuousExperimentFile) RunConfig.parseRecorded(recorded, "manifest");
                assertThat(old.numerics()).as(m.toString()).isEqualTo(1);
                assertThat(old.canonicalText()).as(m.toString()).isEqualTo(recorded);
                assertThatThrownBy(() -> old.requireCurrentNumerics("replay")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(old.experimentId() + " uses numerics 1")
                        .hasMessageContaining("To replay it bit for bit, use metastream abc6e45")
                        .hasMessageNotContaining("\n");
                assertThatThrownBy(old::requireRunnable).hasMessageContaining("To run it bit for bit");
            }
        }
        Path f = dir.resolve("n.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: pointnav\nalg: 1\nnumerics: 3\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of())).hasMessageContaining("key 'numerics' must be 1 or 2, got 3");
        ContinuousExperimentFile one = (ContinuousExperimentFile) RunConfig.load(f, List.of("numerics=1"));
        assertThat(one.canonicalText()).doesNotContain("numerics");
        assertThatThrownBy(one::requireRunnable).hasMessageContaining("x uses numerics 1");
    }

    /**
     * The config format (issue 32): a config file without the key takes the authors' scripts for the keys it leaves
     * out (format 2), recorded as {@code config-format: 2} with the keys format 2 introduced; a manifest recorded
     * before the key existed (every committed result) reads back as format 1 with our earlier defaults and its
     * canonical text unchanged, also through replay's re-parse of that text.
     */
    @Test
    void configFormatChoosesTheDefaultsAndOldRecordsKeepTheirMeaning(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("hc.yaml");
        Files.writeString(f, "experiment-id: hc\nfamily: halfcheetah-vel\nalg: 1\n");
        ContinuousExperimentFile fresh = (ContinuousExperimentFile) RunConfig.load(f, List.of());
        ContinuousExperimentConfig e = fresh.experiment();
        assertThat(fresh.configFormat()).isEqualTo(ContinuousExperimentConfig.FORMAT).isEqualTo(2);
        assertThat(List.of(e.continuation(), e.evalEpisodes(), e.normalizerWarmup(), e.fisherTasks())).containsExactly(200, 20, 100, 5);
        assertThat(e.outputScale()).isEqualTo(0.1);
        assertThat(e.cgDamping()).isEqualTo(0.0);
        assertThat(e.normalizerPost()).isTrue();
        assertThat(e.advantageBaseline()).isEqualTo(AdvantageBaseline.BATCH_MEAN);
        assertThat(fresh.canonicalText()).contains("\nfisher-states: 2000\nfisher-tasks: 5\nnormalize-observations: true\nnormalizer-warmup: 100\nnormalizer-post: true\n")
                .contains("\nnumerics: 2\nconfig-format: 2\nmax-staleness: 0\n");
        ContinuousExperimentFile back = (ContinuousExperimentFile) RunConfig.parseRecorded(fresh.canonicalText(), "m");
        assertThat(back.experiment()).isEqualTo(e);
        assertThat(back.canonicalText()).isEqualTo(fresh.canonicalText());
        ContinuousExperimentConfig antDir = ((ContinuousExperimentFile) RunConfig.load(f, List.of("family=ant-dir"))).experiment();
        assertThat(List.of(antDir.evalEpisodes(), antDir.fisherTasks(), antDir.preRollouts())).containsExactly(40, 4, 40);

        // format 1: the defaults before the key, and a canonical text without any of format 2's keys
        ContinuousExperimentFile one = (ContinuousExperimentFile) RunConfig.load(f, List.of("config-format=1"));
        assertThat(one.experiment()).isEqualTo(ContinuousExperimentConfig.paper("halfcheetah-vel", ContinuousAlgorithm.ALG1, 0, 1));
        assertThat(List.of(one.experiment().continuation(), one.experiment().evalEpisodes(), one.experiment().normalizerWarmup(),
                one.experiment().fisherTasks())).containsExactly(100, 10, 0, 0);
        assertThat(one.experiment().cgDamping()).isEqualTo(1e-5);
        assertThat(one.experiment().normalizerPost()).isFalse();
        assertThat(one.canonicalText()).doesNotContain("config-format").doesNotContain("fisher-tasks").doesNotContain("normalizer-");
        ContinuousExperimentFile oneBack = (ContinuousExperimentFile) RunConfig.parseRecorded(one.canonicalText(), "m");
        assertThat(oneBack.configFormat()).isEqualTo(1);
        assertThat(oneBack.experiment()).isEqualTo(one.experiment());
        // replay re-parses a recorded text with overrides: still format 1
        ContinuousExperimentFile replayed = (ContinuousExperimentFile) RunConfig.parseRecorded(one.canonicalText(), "m",
                List.of("experiment-id=y", "iterations=3"));
        assertThat(replayed.experiment()).isEqualTo(one.experiment().withIterations(3));
        // a format-2 key set in format 1 is recorded, so the text still means what was run
        ContinuousExperimentFile warmed = (ContinuousExperimentFile) RunConfig.load(f, List.of("config-format=1", "normalizer-warmup=7"));
        assertThat(warmed.canonicalText()).contains("\nnormalizer-warmup: 7\n").doesNotContain("fisher-tasks");
        assertThat(((ContinuousExperimentFile) RunConfig.parseRecorded(warmed.canonicalText(), "m")).experiment())
                .isEqualTo(warmed.experiment());

        assertThatThrownBy(() -> RunConfig.load(f, List.of("config-format=3"))).hasMessageContaining(f.toString())
                .hasMessageContaining("key 'config-format' must be 1 or 2, got 3").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("normalizer-warmup=-1"))).hasMessageContaining("normalizer-warmup must be >= 0");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("normalize-observations=false")))
                .hasMessageContaining("normalizer-warmup needs normalize-observations: true").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("normalizer-warmup=0", "normalize-observations=false")))
                .hasMessageContaining("normalizer-post needs normalize-observations: true");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("normalizer-post=maybe")))
                .hasMessageContaining("key 'normalizer-post' must be true or false, got 'maybe'");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("fisher-tasks=-2"))).hasMessageContaining("fisher-tasks must be >= 0");
        assertThatThrownBy(() -> RunConfig.load(f, List.of("normalizer-warmup=100001"))).hasMessageContaining("normalizer-warmup");
        // point navigation keeps its CI setting in every format (nothing to warm up)
        Path pn = dir.resolve("pn.yaml");
        Files.writeString(pn, "experiment-id: pn\nfamily: pointnav\nalg: 1\n");
        assertThat(RunConfig.load(pn, List.of()).experiment()).isEqualTo(ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 0));
    }
}
