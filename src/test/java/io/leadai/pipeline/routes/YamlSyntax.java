package io.leadai.pipeline.routes;

import java.util.List;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns the YAML parser's complaints into what went wrong in words: most are an indentation that lines up with
 * nothing, and the fix is to line the key up with the one above it.
 */
final class YamlSyntax {

    private YamlSyntax() {
    }

    static RouteFileProblem problem(String file, List<String> lines, MarkedYamlEngineException e) {
        Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
        int index = mark == null ? 0 : mark.getLine();
        int line = index + 1;
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String text = index < lines.size() ? lines.get(index) : "";

        if (problem.contains("(TAB)") || problem.contains("'\\t'")) {
            return RouteFileProblem.error(file, line, "a tab character: indent with spaces only");
        }
        if (problem.startsWith("expected <block end>")) {
            String misaligned = misaligned(lines, index);
            if (misaligned != null) {
                return RouteFileProblem.error(file, line, misaligned);
            }
        }
        if (problem.startsWith("mapping values are not allowed")) {
            // "uri: direct:x" followed by a deeper "parameters:" reads as one value "direct:x parameters"
            Line above = contentAbove(lines, index, false);
            if (above != null && indent(text) > above.indent && above.hasValue) {
                String misaligned = misaligned(lines, index);
                if (misaligned != null) {
                    return RouteFileProblem.error(file, line, misaligned);
                }
            }
            return RouteFileProblem.error(file, line,
                    "a ': ' inside a value; put the value in quotes (\"...\")");
        }
        int column = mark == null ? 0 : mark.getColumn() + 1;
        return RouteFileProblem.error(file, line, "YAML syntax error: " + problem + " (column " + column + ")");
    }

    /** "'parameters' is indented by 11 spaces but 'uri' above it (line 8) by 12", or null if nothing to compare. */
    private static String misaligned(List<String> lines, int index) {
        if (index >= lines.size()) {
            return null;
        }
        String text = lines.get(index);
        boolean item = text.stripLeading().startsWith("-");
        Line above = contentAbove(lines, index, item);
        int indent = indent(text);
        if (above == null || above.indent == indent) {
            return null;
        }
        return "bad indentation: '" + name(text) + "' is indented by " + indent + " spaces but '" + above.name
                + "' above it (line " + above.line + ") by " + above.indent;
    }

    private record Line(int line, int indent, String name, boolean hasValue) {
    }

    /**
     * The nearest line above that the given one should line up with: for a list item the previous list item, for
     * a key the previous key (a key on a list item's line counts, at its own column).
     */
    private static Line contentAbove(List<String> lines, int index, boolean item) {
        for (int i = Math.min(index, lines.size()) - 1; i >= 0; i--) {
            String text = lines.get(i);
            String stripped = text.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            boolean isItem = stripped.startsWith("-");
            if (item && !isItem) {
                if (indent(text) < indent(lines.get(index))) {
                    return null;
                }
                continue;
            }
            int indent = indent(text);
            if (!item && isItem) {
                // "- to:" holds the key 'to' two columns to the right of the dash
                String afterDash = stripped.substring(1);
                indent = indent + 1 + (afterDash.length() - afterDash.stripLeading().length());
            }
            String name = name(text);
            if (!item && name.startsWith("- ")) {
                name = name.substring(2);
            }
            int colon = stripped.indexOf(':');
            boolean hasValue = colon > 0 && !stripped.substring(colon + 1).isBlank();
            return new Line(i + 1, indent, name, hasValue);
        }
        return null;
    }

    private static int indent(String text) {
        return text.length() - text.stripLeading().length();
    }

    /** The key a line starts, as the reader sees it: {@code parameters}, or {@code - to} for a list item. */
    private static String name(String text) {
        String stripped = text.strip();
        String prefix = "";
        if (stripped.startsWith("-")) {
            prefix = "- ";
            stripped = stripped.substring(1).strip();
        }
        int colon = stripped.indexOf(':');
        String key = colon > 0 ? stripped.substring(0, colon) : stripped;
        if (key.length() > 40) {
            key = key.substring(0, 40) + "...";
        }
        return prefix + key;
    }
}
