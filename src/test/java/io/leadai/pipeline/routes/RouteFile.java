package io.leadai.pipeline.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A route file read with the YAML parser Camel uses (SnakeYAML Engine), kept as nodes with their line numbers,
 * so every later check can name the line. A file that is not YAML has a syntax problem and no nodes.
 */
final class RouteFile {

    final Path path;
    /** How messages name the file: its folder and name, e.g. {@code routes/api-rest.camel.yaml}. */
    final String name;
    final List<String> lines;
    final Node root;
    final RouteFileProblem syntaxProblem;

    private RouteFile(Path path, List<String> lines, Node root, RouteFileProblem syntaxProblem) {
        this.path = path;
        this.name = displayName(path);
        this.lines = lines;
        this.root = root;
        this.syntaxProblem = syntaxProblem;
    }

    static RouteFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = text.lines().toList();
        try {
            Optional<Node> root = new Compose(LoadSettings.builder().setLabel(displayName(path)).build())
                    .composeString(text);
            return new RouteFile(path, lines, root.orElse(null), null);
        } catch (MarkedYamlEngineException e) {
            return new RouteFile(path, lines, null, YamlSyntax.problem(displayName(path), lines, e));
        } catch (YamlEngineException e) {
            return new RouteFile(path, lines, null, RouteFileProblem.error(displayName(path), 1,
                    "not readable as YAML: " + e.getMessage()));
        }
    }

    static String displayName(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        String file = path.getFileName().toString();
        return parent == null || parent.getFileName() == null ? file : parent.getFileName() + "/" + file;
    }

    String location() {
        return "file:" + path.toAbsolutePath().normalize();
    }

    RouteFileProblem error(Node node, String message) {
        return RouteFileProblem.error(name, line(node), message);
    }

    RouteFileProblem error(int line, String message) {
        return RouteFileProblem.error(name, line, message);
    }

    RouteFileProblem warning(Node node, String message) {
        return RouteFileProblem.warning(name, line(node), message);
    }

    /** 1-based line where the node starts. */
    static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(0) + 1;
    }

    /** The top-level elements of the file: {@code - route:}, {@code - rest:}, {@code - beans:}, ... */
    List<Node> elements() {
        return root instanceof SequenceNode sequence ? sequence.getValue() : List.of();
    }

    static Node value(Node mapping, String key) {
        NodeTuple tuple = tuple(mapping, key);
        return tuple == null ? null : tuple.getValueNode();
    }

    static NodeTuple tuple(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (key.equals(text(tuple.getKeyNode()))) {
                    return tuple;
                }
            }
        }
        return null;
    }

    static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    static String key(NodeTuple tuple) {
        return text(tuple.getKeyNode());
    }

    static List<NodeTuple> entries(Node node) {
        return node instanceof MappingNode map ? map.getValue() : List.of();
    }

    static List<Node> items(Node node) {
        return node instanceof SequenceNode sequence ? sequence.getValue() : List.of();
    }

    /** Every mapping in the file that starts on the given line (nested ones included). */
    List<MappingNode> mappingsStartingAt(int line) {
        List<MappingNode> found = new ArrayList<>();
        collectMappings(root, line, found);
        return found;
    }

    private static void collectMappings(Node node, int line, List<MappingNode> found) {
        if (node instanceof MappingNode map) {
            if (line(map) == line) {
                found.add(map);
            }
            for (NodeTuple tuple : map.getValue()) {
                collectMappings(tuple.getValueNode(), line, found);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                collectMappings(item, line, found);
            }
        }
    }
}
