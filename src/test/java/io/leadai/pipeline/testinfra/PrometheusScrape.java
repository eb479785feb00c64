package io.leadai.pipeline.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One scrape of {@code /actuator/prometheus} on the management port, as Prometheus reads it: samples with
 * a name, labels and a value.
 */
public final class PrometheusScrape {

    public record Sample(String name, Map<String, String> labels, double value) {

        boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    private final String text;
    private final List<Sample> samples;

    private PrometheusScrape(String text) {
        this.text = text;
        this.samples = text.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(PrometheusScrape::sample).toList();
    }

    public static PrometheusScrape of(int managementPort) {
        ApiClient.Response response = new ApiClient(managementPort).get("/actuator/prometheus");
        assertThat(response.status()).as("GET /actuator/prometheus").isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        return new PrometheusScrape(response.body());
    }

    public String text() {
        return text;
    }

    public Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toSet());
    }

    /** The samples of {@code name} whose labels include {@code labels} ("key", "value", ...). */
    public List<Sample> samples(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).toList();
    }

    /** The sum of those samples; 0 when there is none (a counter not created yet). */
    public double sum(String name, String... labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The one sample of {@code name} with these labels. */
    public double value(String name, String... labels) {
        List<Sample> found = samples(name, labels);
        assertThat(found).as(name + " " + pairs(labels)).hasSize(1);
        return found.get(0).value();
    }

    private static Map<String, String> pairs(String... labels) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            pairs.put(labels[i], labels[i + 1]);
        }
        return pairs;
    }

    /** {@code name{key="value",...} value}, label values with \" \\ and \n escaped. */
    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(rest[0].replace("+Inf", "Infinity")
                .replace("-Inf", "-Infinity")));
    }

    /** Every sample, for a failure message. */
    public List<Sample> all() {
        return new ArrayList<>(samples);
    }
}
