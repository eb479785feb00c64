package io.leadai.pipeline.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The explicit form of the YAML DSL, the one Kaoto reads and writes, so a file opens in Kaoto unchanged and shows
 * every option in its forms: a route is {@code - route:} with an id, a step is a name with an option map, an
 * endpoint is {@code uri:} with a {@code parameters:} map (no query string, no {@code to: direct:x} shorthand).
 */
final class ExplicitForm {

    private static final Set<String> ENDPOINTS = Set.of("from", "to", "toD", "wireTap");
    private static final String KEBAB_CASE = "[a-z0-9]+(-[a-z0-9]+)*";

    private ExplicitForm() {
    }

    static List<RouteFileProblem> check(RouteFile file) {
        List<RouteFileProblem> problems = new ArrayList<>();
        for (Node element : file.elements()) {
            for (NodeTuple entry : RouteFile.entries(element)) {
                String kind = RouteFile.key(entry);
                Node body = entry.getValueNode();
                if ("from".equals(kind)) {
                    problems.add(file.error(entry.getKeyNode(),
                            "a route without '- route:': write it as '- route:' with an 'id:' and this 'from:' inside"));
                } else if ("route".equals(kind)) {
                    id(file, problems, entry, RouteFile.tuple(body, "id"), "route");
                } else if ("routeTemplate".equals(kind) || "routeConfiguration".equals(kind)) {
                    id(file, problems, entry, RouteFile.tuple(body, "id"), kind);
                } else if ("templatedRoute".equals(kind)) {
                    id(file, problems, entry, RouteFile.tuple(body, "routeId"), "templated route");
                }
            }
            walk(file, element, false, false, problems);
        }
        return problems;
    }

    private static void id(RouteFile file, List<RouteFileProblem> problems, NodeTuple element, NodeTuple id,
                           String what) {
        String value = id == null ? null : RouteFile.text(id.getValueNode());
        if (value == null || value.isBlank()) {
            problems.add(file.error(element.getKeyNode(), what + " without an id: give it '"
                    + ("templated route".equals(what) ? "routeId" : "id") + ":' (kebab-case, e.g. store-ai-results)"));
        } else if (!value.matches(KEBAB_CASE) && !value.contains("{{")) {
            problems.add(file.error(id.getValueNode(), what + " id '" + value
                    + "' is not kebab-case (lower-case words joined by '-', e.g. store-ai-results)"));
        }
    }

    /**
     * @param steps the node is a {@code steps:} list, whose items are steps
     * @param step the node is one step ({@code - to: ...}), whose short forms {@link #shortStep} reports
     */
    private static void walk(RouteFile file, Node node, boolean steps, boolean step, List<RouteFileProblem> problems) {
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                if (steps) {
                    shortStep(file, item, problems);
                }
                walk(file, item, false, steps, problems);
            }
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            return;
        }
        for (NodeTuple entry : mapping.getValue()) {
            String key = RouteFile.key(entry);
            Node value = entry.getValueNode();
            if (key == null || "parameters".equals(key)) {
                // endpoint options: whatever their names, they are values, not DSL
                continue;
            }
            if (ENDPOINTS.contains(key) && !step && value instanceof ScalarNode scalar && !scalar.getValue().isEmpty()) {
                problems.add(shorthand(file, key, scalar));
            }
            if ("uri".equals(key) && value instanceof ScalarNode uri) {
                String text = uri.getValue();
                if (text.contains("?")) {
                    problems.add(file.error(uri, "uri '" + text + "' has a query string: put its options under"
                            + " 'parameters:', one per line"));
                }
                if (text.startsWith("{{")) {
                    problems.add(file.warning(uri, "uri '" + text + "' hides the component behind a placeholder,"
                            + " so neither Kaoto nor this check can tell its options: keep the scheme literal and"
                            + " make only the address a placeholder"));
                }
            }
            walk(file, value, "steps".equals(key), false, problems);
        }
    }

    /** A step written as a plain value ({@code - to: direct:x}, {@code - log: hello}) instead of an option map. */
    private static void shortStep(RouteFile file, Node step, List<RouteFileProblem> problems) {
        List<NodeTuple> entries = RouteFile.entries(step);
        if (entries.size() != 1) {
            return;
        }
        NodeTuple entry = entries.get(0);
        if (entry.getValueNode() instanceof ScalarNode scalar && !scalar.getValue().isEmpty()) {
            String name = RouteFile.key(entry);
            if (ENDPOINTS.contains(name)) {
                problems.add(shorthand(file, name, scalar));
            } else {
                problems.add(file.error(scalar, "step '" + name + "' is written as a single value ('"
                        + scalar.getValue() + "'): write its options as a map below it"));
            }
        }
    }

    private static RouteFileProblem shorthand(RouteFile file, String key, ScalarNode scalar) {
        return file.error(scalar, "'" + key + ": " + scalar.getValue() + "' is the short form: write '" + key
                + ":' with 'uri: " + scalar.getValue() + "' on the line below it");
    }

}
