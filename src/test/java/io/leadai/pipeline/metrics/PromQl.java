package io.leadai.pipeline.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) reads. */
final class PromQl {

    /** Words of PromQL that are not metric names and are not followed by a parenthesis. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    /** A name not preceded by a digit (as the 'm' of 5m) and not followed by '(' (a function). */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*)\\)\\s*$", Pattern.DOTALL);

    private PromQl() {
    }

    static Set<String> metricNames(String expression) {
        String rest = expression;
        Matcher labelValues = LABEL_VALUES.matcher(rest);
        if (labelValues.matches()) {
            // label_values(selector, label) reads the selector's metric; label_values(label) reads none
            String arguments = labelValues.group(1);
            int comma = arguments.lastIndexOf(',');
            if (comma < 0) {
                return Set.of();
            }
            rest = arguments.substring(0, comma);
        }
        for (Pattern drop : new Pattern[] {STRING, LABEL_MATCHERS, RANGE, LABEL_LIST, GRAFANA_VARIABLE}) {
            rest = drop.matcher(rest).replaceAll(" ");
        }
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(rest);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group().toLowerCase(java.util.Locale.ROOT))) {
                names.add(name.group());
            }
        }
        return names;
    }
}
