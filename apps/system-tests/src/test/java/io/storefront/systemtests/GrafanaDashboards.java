package io.storefront.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Prometheus queries of the Grafana dashboards in platform/grafana/dashboards: panels and template variables. */
final class GrafanaDashboards {

    /** One query of one panel. */
    record PanelQuery(String dashboard, String panel, String refId, String expr) {

        String name() {
            return dashboard + " / " + panel + " / " + refId;
        }
    }

    /** A query variable such as {@code app}: {@code label_values(<selector>, <label>)}. */
    record Variable(String dashboard, String name, String selector, String label) {
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    private GrafanaDashboards() {
    }

    static Path directory() {
        return ExternalTools.repositoryRoot().resolve("platform/grafana/dashboards");
    }

    static List<Path> files(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<PanelQuery> panelQueries(Path directory) {
        List<PanelQuery> queries = new ArrayList<>();
        for (Path file : files(directory)) {
            JsonNode dashboard = read(file);
            collect(dashboard.path("title").asString(file.getFileName().toString()), dashboard.path("panels"), queries);
        }
        return queries;
    }

    /** Panels nest inside rows; every target with an expression is a query. */
    private static void collect(String dashboard, JsonNode panels, List<PanelQuery> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    queries.add(new PanelQuery(dashboard, panel.path("title").asString(),
                            target.path("refId").asString("A"), target.path("expr").asString()));
                }
            }
            collect(dashboard, panel.path("panels"), queries);
        }
    }

    static List<Variable> variables(Path directory) {
        List<Variable> variables = new ArrayList<>();
        for (Path file : files(directory)) {
            JsonNode dashboard = read(file);
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                String definition = variable.path("query").isObject()
                        ? variable.path("query").path("query").asString()
                        : variable.path("query").asString();
                Matcher matcher = LABEL_VALUES.matcher(definition);
                if (!matcher.matches()) {
                    throw new IllegalStateException("Variable " + variable.path("name").asString() + " of " + file
                            + " is not a label_values(selector, label) query: " + definition);
                }
                variables.add(new Variable(dashboard.path("title").asString(), variable.path("name").asString(),
                        matcher.group(1).trim(), matcher.group(2)));
            }
        }
        return variables;
    }

    private static JsonNode read(Path file) {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
