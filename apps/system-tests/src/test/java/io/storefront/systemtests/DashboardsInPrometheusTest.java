package io.storefront.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.Topics;
import io.storefront.local.commands.SampleData;
import io.storefront.local.commands.StorefrontClient;
import io.storefront.local.stack.LocalStack;
import io.storefront.local.stack.ManagedProcess;
import io.storefront.local.stack.Progress;
import io.storefront.local.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Debian's Prometheus scrapes a running local stack with the cluster's job and relabelling
 * ({@link LocalPrometheusConfig}); after the sample flow and one unusable record per topic, every query of every
 * Grafana dashboard and every alert rule returns data, unless {@link #NEEDS_TRAFFIC_THE_TEST_DOES_NOT_MAKE} names it.
 * A renamed metric, a wrong label or a broken relabelling shows up as a query without data.
 */
class DashboardsInPrometheusTest {

    /**
     * Queries that find nothing after this test's traffic, each with the reason: keys are
     * {@code <dashboard> / <panel> / <refId>} or {@code alert <name>}. Every key must name an existing query.
     */
    static final Map<String, String> NEEDS_TRAFFIC_THE_TEST_DOES_NOT_MAKE = Map.of(
            "Storefront / JVM and HTTP / HTTP 5xx ratio / A",
            "needs a 5xx answer; the sample flow and the dead-lettered records cause none");

    /** What Grafana's interval variables stand for here: one minute holds 60 scrapes at the 1 s interval. */
    static final String INTERVAL_VARIABLE_VALUE = "1m";

    static final Duration WAIT = Duration.ofSeconds(60);

    static Path prometheusBinary;
    static Path promtool;
    static Path workDir;
    static LocalStack stack;
    static PrometheusServer prometheus;

    @BeforeAll
    static void startStackAndPrometheus() throws Exception {
        Optional<Path> binary = ExternalTools.onPath("prometheus");
        Optional<Path> tool = ExternalTools.onPath("promtool");
        Assumptions.assumeTrue(binary.isPresent() && tool.isPresent(),
                "SKIPPED: the prometheus and promtool binaries are not on the PATH (Debian: apt-get install prometheus;"
                        + " .ci/run installs it), so the dashboards and alert rules are not evaluated");
        prometheusBinary = binary.get();
        promtool = tool.get();
        workDir = Files.createTempDirectory("storefront-prometheus-");
        stack = LocalStack.start(TestStacks.freshConfig(), new Progress(System.out));
        prometheus = PrometheusServer.start(prometheusBinary, stack.config(), workDir);
    }

    @AfterAll
    static void stopAll() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stack != null) {
            stack.close();
        }
        ExternalTools.deleteRecursively(workDir);
    }

    @Test
    void promtoolAcceptsTheAlertRulesAndTheGeneratedConfiguration() throws Exception {
        List<String> checkRules = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        LocalPrometheusConfig.ruleFiles().forEach(file -> checkRules.add(file.toString()));
        runPromtool("promtool-check-rules", checkRules);
        runPromtool("promtool-check-config", List.of(promtool.toString(), "check", "config",
                prometheus.config().toString()));
    }

    private static void runPromtool(String name, List<String> command) throws Exception {
        Path log = workDir.resolve(name + ".log");
        ManagedProcess process = new ManagedProcess(name, command, log).start();
        process.awaitSuccess(Duration.ofSeconds(60));
        System.out.println(String.join(" ", command) + "\n" + Files.readString(log));
    }

    @Test
    void everyPanelQueryAndAlertRuleReturnsDataAfterTheSampleFlow() throws Exception {
        awaitServicesScrapedThroughTheRelabelling();

        StorefrontClient client = StorefrontClient.local(stack.config());
        for (int run = 0; run < 3; run++) {
            assertThat(new SampleData(client, System.out, WAIT).run().reachedEndState()).isTrue();
        }
        int deadLettered = sendOneUnusableRecordPerTopic();
        ExternalTools.awaitCondition("Prometheus sees " + deadLettered + " dead-lettered records", WAIT,
                () -> prometheus.query("sum(storefront_dead_letter_records_total)").path("result").path(0)
                        .path("value").path(1).asString("0").equals(Integer.toString(deadLettered)),
                () -> prometheus.query("storefront_dead_letter_records_total").toString());
        awaitScrapeAndRuleEvaluationAfter(Instant.now());

        Map<String, String> variables = allValueOfEachVariable();
        Map<String, Integer> seriesByQuery = new LinkedHashMap<>();
        for (GrafanaDashboards.PanelQuery query : GrafanaDashboards.panelQueries(GrafanaDashboards.directory())) {
            seriesByQuery.put(query.name(), prometheus.seriesCount(substitute(query.expr(), variables, query.name())));
        }
        for (Map.Entry<String, String> rule : alertRuleSignals().entrySet()) {
            seriesByQuery.put("alert " + rule.getKey(), prometheus.seriesCount(rule.getValue()));
        }
        printTable(seriesByQuery);

        assertThat(NEEDS_TRAFFIC_THE_TEST_DOES_NOT_MAKE.keySet())
                .as("queries listed as needing other traffic that no dashboard or rule has")
                .isSubsetOf(seriesByQuery.keySet());
        List<String> withoutData = seriesByQuery.entrySet().stream()
                .filter(e -> e.getValue() == 0 && !NEEDS_TRAFFIC_THE_TEST_DOES_NOT_MAKE.containsKey(e.getKey()))
                .map(Map.Entry::getKey).toList();
        assertThat(withoutData)
                .as("panel queries and alert rules without data (a renamed metric or label? or list the query with"
                        + " its reason in NEEDS_TRAFFIC_THE_TEST_DOES_NOT_MAKE)")
                .isEmpty();
        assertAlertRulesEvaluateWithoutError();
    }

    /** The three services' management ports are up, with the labels the relabelling derives from the manifests. */
    private static void awaitServicesScrapedThroughTheRelabelling() {
        List<String> services = stack.config().services().stream().map(StackConfig.Service::name).toList();
        ExternalTools.awaitCondition("the " + LocalPrometheusConfig.SERVICES_JOB + " job's targets are up", WAIT, () -> {
            List<JsonNode> targets = servicesTargets();
            return targets.size() == services.size()
                    && targets.stream().allMatch(t -> "up".equals(t.path("health").asString()));
        }, () -> prometheus.api("/api/v1/targets").toString());
        for (JsonNode target : servicesTargets()) {
            JsonNode labels = target.path("labels");
            assertThat(labels.path("app").asString()).isIn(services);
            assertThat(labels.path("namespace").asString()).isNotEmpty();
            assertThat(labels.path("pod").asString()).isEqualTo(labels.path("app").asString() + "-local");
            assertThat(labels.path("version").asString()).isNotEmpty();
            assertThat(target.path("scrapeUrl").asString()).endsWith("/actuator/prometheus");
        }
    }

    private static List<JsonNode> servicesTargets() {
        List<JsonNode> targets = new ArrayList<>();
        for (JsonNode target : prometheus.api("/api/v1/targets?state=active").path("activeTargets")) {
            if (LocalPrometheusConfig.SERVICES_JOB.equals(target.path("labels").path("job").asString())) {
                targets.add(target);
            }
        }
        return targets;
    }

    /** Every target scraped and every rule group evaluated after {@code moment}, so the queries see the traffic. */
    private static void awaitScrapeAndRuleEvaluationAfter(Instant moment) {
        ExternalTools.awaitCondition("a scrape of every target and an evaluation of every rule group after " + moment,
                WAIT, () -> {
                    for (JsonNode target : prometheus.api("/api/v1/targets?state=active").path("activeTargets")) {
                        if (!Instant.parse(target.path("lastScrape").asString()).isAfter(moment)) {
                            return false;
                        }
                    }
                    for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
                        if (!Instant.parse(group.path("lastEvaluation").asString()).isAfter(moment)) {
                            return false;
                        }
                    }
                    return true;
                }, () -> prometheus.api("/api/v1/targets").toString());
    }

    /** One record per storefront topic that no consumer can apply: each goes to its dead-letter topic. */
    private static int sendOneUnusableRecordPerTopic() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", stack.kafkaBootstrap());
        props.put("key.serializer", StringSerializer.class);
        props.put("value.serializer", StringSerializer.class);
        List<String> topics = List.of(Topics.CUSTOMER_CHANGES, Topics.ORDER_CHANGES, Topics.FULFILLMENT_CHANGES);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String topic : topics) {
                producer.send(new ProducerRecord<>(topic, "unusable", "this is not an event"));
            }
            producer.flush();
        }
        return topics.size();
    }

    /** Grafana's "All" value of each query variable, from the variable's own query. */
    private static Map<String, String> allValueOfEachVariable() {
        Map<String, String> values = new HashMap<>();
        for (GrafanaDashboards.Variable variable : GrafanaDashboards.variables(GrafanaDashboards.directory())) {
            TreeSet<String> found = new TreeSet<>();
            prometheus.api("/api/v1/label/" + variable.label() + "/values?match[]="
                    + PrometheusServer.encode(variable.selector())).forEach(v -> found.add(v.asString()));
            assertThat(found).as("values of variable $%s of %s", variable.name(), variable.dashboard()).isNotEmpty();
            String all = "(" + String.join("|", found) + ")";
            String previous = values.put(variable.name(), all);
            assertThat(previous).as("variable $%s means the same in every dashboard", variable.name())
                    .isIn(null, all);
        }
        return values;
    }

    private static String substitute(String expr, Map<String, String> variables, String queryName) {
        String result = expr.replace("$__rate_interval", INTERVAL_VARIABLE_VALUE)
                .replace("$__interval", INTERVAL_VARIABLE_VALUE)
                .replace("$__range", INTERVAL_VARIABLE_VALUE);
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            result = result.replace("${" + variable.getKey() + "}", variable.getValue())
                    .replace("$" + variable.getKey(), variable.getValue());
        }
        assertThat(result).as("%s uses a variable no dashboard defines", queryName).doesNotContain("$");
        return result;
    }

    /**
     * Each alert rule's expression without its threshold (a comparison with a number): the signal the alert watches.
     * A healthy stack fires no alert, so the full expression is empty by design; its signal must not be.
     */
    private static Map<String, String> alertRuleSignals() {
        Map<String, String> signals = new LinkedHashMap<>();
        for (Path file : LocalPrometheusConfig.ruleFiles()) {
            for (Object group : LocalPrometheusConfig.list(LocalPrometheusConfig.load(file).get("groups"))) {
                for (Object rule : LocalPrometheusConfig.list(LocalPrometheusConfig.map(group).get("rules"))) {
                    Map<String, Object> fields = LocalPrometheusConfig.map(rule);
                    if (fields.containsKey("alert")) {
                        signals.put(fields.get("alert").toString(), fields.get("expr").toString()
                                .replaceAll("\\s*(==|!=|>=|<=|>|<)\\s*-?[0-9.]+", ""));
                    }
                }
            }
        }
        assertThat(signals).as("alert rules").isNotEmpty();
        return signals;
    }

    private static void assertAlertRulesEvaluateWithoutError() {
        for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("health").asString())
                        .as("health of rule %s: %s", rule.path("name").asString(), rule.path("lastError").asString())
                        .isEqualTo("ok");
            }
        }
    }

    private static void printTable(Map<String, Integer> seriesByQuery) {
        int width = seriesByQuery.keySet().stream().mapToInt(String::length).max().orElse(10);
        StringBuilder table = new StringBuilder(String.format("%n%-" + width + "s  %s%n", "query", "series"));
        seriesByQuery.forEach((name, count) -> {
            String reason = NEEDS_TRAFFIC_THE_TEST_DOES_NOT_MAKE.get(name);
            table.append(String.format("%-" + width + "s  %6d%s%n", name, count,
                    reason == null ? "" : "  (listed: " + reason + ")"));
        });
        System.out.println(table);
    }
}
