package io.leadai.pipeline.routes;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The route files in routes/ load, resolve and open in Kaoto; checked in the test phase, before anything is
 * packaged or started. Alone: {@code ./mvnw test -Dtest=RouteFilesTest}; another folder of route files (a
 * ConfigMap's, say): {@code -Droutes.dir=/path/to/routes}.
 */
class RouteFilesTest {

    @Test
    void everyRouteFileIsValid() {
        Path directory = Path.of(System.getProperty("routes.dir", "routes"));
        if (!Files.isDirectory(directory)) {
            fail("no route files at " + directory.toAbsolutePath());
        }
        List<RouteFileProblem> problems = RouteFileValidator.withApplicationProperties().validate(directory);

        problems.stream().filter(RouteFileProblem::warning).forEach(System.out::println);
        List<String> errors = problems.stream().filter(p -> !p.warning()).map(RouteFileProblem::toString).toList();
        if (!errors.isEmpty()) {
            fail(errors.size() + " problem(s) in the route files:\n" + String.join("\n", errors) + "\n");
        }
    }
}
