package io.leadai.pipeline.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks route files the way an integrator needs before anything runs, and says what is wrong as
 * {@code routes/<file>:<line>: <what>}:
 * <ol>
 *   <li>YAML: the file parses (bad indentation named as such);</li>
 *   <li>the YAML DSL's JSON Schema, as Kaoto reads it: no unknown step, no unknown option of a step;</li>
 *   <li>the explicit form Kaoto reads and writes: {@code uri:} + {@code parameters:}, no shorthand, route ids;</li>
 *   <li>ids across files: every route id once, references to route configurations and templates resolve;</li>
 *   <li>Camel: the files load with Camel's YAML loader, every {{placeholder}} has a value from application.yaml,
 *       every endpoint's options are known to its component, every direct: endpoint is read by a route, every
 *       sql: statement is sent with its parameter count, every simple and jq expression parses.</li>
 * </ol>
 * Beans the routes call are not checked here: only the running application has them (RouteFilesIT).
 */
public final class RouteFileValidator {

    private final ApplicationProperties properties;
    private final DslSchema schema = new DslSchema();

    private RouteFileValidator(ApplicationProperties properties) {
        this.properties = properties;
    }

    /** Placeholders resolve against src/main/resources/application.yaml and the environment. */
    public static RouteFileValidator withApplicationProperties() {
        return new RouteFileValidator(ApplicationProperties.load());
    }

    /** Every {@code *.camel.yaml} in the directory, checked together as the application loads them. */
    public List<RouteFileProblem> validate(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return validate(files.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<RouteFileProblem> validate(List<Path> paths) {
        List<RouteFileProblem> problems = new ArrayList<>();
        List<RouteFile> parsed = new ArrayList<>();
        List<RouteFile> loadable = new ArrayList<>();
        for (Path path : paths) {
            RouteFile file = RouteFile.read(path);
            if (file.syntaxProblem != null) {
                problems.add(file.syntaxProblem);
                continue;
            }
            parsed.add(file);
            List<RouteFileProblem> structure = schema.check(file);
            problems.addAll(structure);
            problems.addAll(ExplicitForm.check(file));
            if (structure.isEmpty()) {
                loadable.add(file);
            }
        }
        List<RouteFileProblem> ids = RouteIds.check(parsed);
        problems.addAll(ids);
        if (!parsed.isEmpty()) {
            try (CamelModel camel = new CamelModel(properties)) {
                // a missing template fails Camel's load too: the id problem already says why
                problems.addAll(camel.check(parsed, loadable, ids.isEmpty()));
            }
        }
        return problems.stream().distinct()
                .sorted(Comparator.comparing(RouteFileProblem::file).thenComparingInt(RouteFileProblem::line))
                .toList();
    }
}
