package io.leadai.pipeline.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/** The routes of route files as plain maps, for tests that check how routes are put together. */
final class RouteMaps {

    private RouteMaps() {
    }

    /** Every {@code route} of the {@code *.camel.yaml} files in these directories, file by file. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> in(String... directories) throws IOException {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (String directory : directories) {
            try (Stream<Path> files = Files.list(Path.of(directory))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                    List<Map<String, Object>> elements = new Yaml().load(Files.readString(file));
                    elements.stream().filter(e -> e.containsKey("route"))
                            .forEach(e -> routes.add((Map<String, Object>) e.get("route")));
                }
            }
        }
        return routes;
    }
}
