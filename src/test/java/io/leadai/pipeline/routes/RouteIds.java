package io.leadai.pipeline.routes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Ids across all route files: a route id names one route in the whole application (Camel would silently keep only
 * the last route of a repeated id), and a route's routeConfigurationId and a templated route's template must exist.
 */
final class RouteIds {

    /** REST verbs: each operation becomes a route whose id is the operation's id (camel.rest.inline-routes off). */
    private static final Set<String> VERBS = Set.of("get", "post", "put", "patch", "delete", "head");

    private record Declared(RouteFile file, Node node, String id) {
        String where() {
            return file.name + ":" + RouteFile.line(node);
        }
    }

    private RouteIds() {
    }

    static List<RouteFileProblem> check(List<RouteFile> files) {
        List<RouteFileProblem> problems = new ArrayList<>();
        Map<String, Declared> routes = new LinkedHashMap<>();
        Map<String, Declared> configurations = new LinkedHashMap<>();
        Map<String, Declared> templates = new LinkedHashMap<>();
        List<Declared> configurationRefs = new ArrayList<>();
        List<Declared> templateRefs = new ArrayList<>();

        for (RouteFile file : files) {
            for (Node element : file.elements()) {
                for (NodeTuple entry : RouteFile.entries(element)) {
                    Node body = entry.getValueNode();
                    switch (String.valueOf(RouteFile.key(entry))) {
                        case "route" -> {
                            declare(file, RouteFile.value(body, "id"), "route id", routes, problems);
                            Node refs = RouteFile.value(body, "routeConfigurationId");
                            if (RouteFile.text(refs) != null) {
                                for (String ref : RouteFile.text(refs).split(",")) {
                                    configurationRefs.add(new Declared(file, refs, ref.strip()));
                                }
                            }
                        }
                        case "templatedRoute" -> {
                            declare(file, RouteFile.value(body, "routeId"), "route id", routes, problems);
                            Node ref = RouteFile.value(body, "routeTemplateRef");
                            if (RouteFile.text(ref) != null) {
                                templateRefs.add(new Declared(file, ref, RouteFile.text(ref)));
                            }
                        }
                        case "routeTemplate" ->
                                declare(file, RouteFile.value(body, "id"), "route template id", templates, problems);
                        case "routeConfiguration" -> declare(file, RouteFile.value(body, "id"),
                                "route configuration id", configurations, problems);
                        case "rest" -> {
                            for (NodeTuple verb : RouteFile.entries(body)) {
                                if (VERBS.contains(RouteFile.key(verb))) {
                                    for (Node operation : RouteFile.items(verb.getValueNode())) {
                                        Node id = RouteFile.value(operation, "routeId");
                                        declare(file, id != null ? id : RouteFile.value(operation, "id"),
                                                "route id", routes, problems);
                                    }
                                }
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
        }
        for (Declared ref : configurationRefs) {
            if (!ref.id.contains("*") && !ref.id.contains("{{") && !configurations.containsKey(ref.id)) {
                problems.add(ref.file.error(ref.node, "no route configuration has the id '" + ref.id + "'"
                        + Suggestions.didYouMean(ref.id, configurations.keySet())));
            }
        }
        for (Declared ref : templateRefs) {
            if (!ref.id.contains("{{") && !templates.containsKey(ref.id)) {
                problems.add(ref.file.error(ref.node, "no route template has the id '" + ref.id + "'"
                        + Suggestions.didYouMean(ref.id, templates.keySet())));
            }
        }
        return problems;
    }

    private static void declare(RouteFile file, Node idNode, String what, Map<String, Declared> ids,
                                List<RouteFileProblem> problems) {
        String id = RouteFile.text(idNode);
        if (id == null || id.isBlank()) {
            return;
        }
        Declared declared = new Declared(file, idNode, id);
        Declared earlier = ids.putIfAbsent(id, declared);
        if (earlier != null) {
            problems.add(file.error(idNode, what + " '" + id + "' is already used at " + earlier.where()));
        }
    }
}
