package io.leadai.pipeline.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.LineNumberAware;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.LanguageValidationResult;
import org.apache.camel.catalog.RuntimeCamelCatalog;
import org.apache.camel.catalog.impl.AbstractCamelCatalog;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * What only Camel can tell: the files are loaded with Camel's own YAML loader into a Camel context that is never
 * started, with the application's properties; then every {{placeholder}} must have a value, and every endpoint
 * of every route (templated routes, REST operations and route configurations included) is checked against its
 * component's options by Camel's runtime catalog: component known, options known, values of the right kind,
 * options that apply to a consumer or a producer used as such, {@code direct:} endpoints read by some route,
 * {@code classpath:} files present, {@code sql:} statements sent with their parameter count. simple and jq
 * expressions must parse.
 */
final class CamelModel implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.+?)}}");
    private static final Pattern DYNAMIC = Pattern.compile("\\$\\{[^}]*}");
    /** camel-sql's IN list parameter, once its '#' is read as '?' ({@code :#in:ids} becomes {@code :?in:ids}). */
    private static final Pattern IN_LIST = Pattern.compile(":\\?in:");
    private static final Set<String> LANGUAGES = Set.of("simple", "jq");

    private final ApplicationProperties properties;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final AbstractCamelCatalog catalog;
    private final Map<String, RouteFile> filesByLocation = new HashMap<>();
    private final List<RouteFileProblem> problems = new ArrayList<>();

    CamelModel(ApplicationProperties properties) {
        this.properties = properties;
        camel.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "application.yaml";
            }

            @Override
            public String getProperty(String name) {
                try {
                    return properties.get(name);
                } catch (IllegalArgumentException e) {
                    // its ${...} does not resolve: as absent as the property itself
                    return null;
                }
            }
        });
        // REST operations keep their own route ids, as in application.yaml
        camel.getRestConfiguration().setInlineRoutes(
                Boolean.parseBoolean(String.valueOf(properties.get("camel.rest.inline-routes"))));
        camel.build();
        this.catalog = (AbstractCamelCatalog) camel.getCamelContextExtension().getContextPlugin(RuntimeCamelCatalog.class);
    }

    /**
     * @param files every file that parsed, for placeholders
     * @param loadable the files Camel can load (no structure problems)
     * @param reportLoadFailure false when another problem already explains why Camel cannot load the files
     */
    List<RouteFileProblem> check(List<RouteFile> files, List<RouteFile> loadable, boolean reportLoadFailure) {
        for (RouteFile file : files) {
            filesByLocation.put(file.location(), file);
            placeholders(file);
            expressions(file, file.root);
        }
        if (!loadable.isEmpty() && load(loadable, reportLoadFailure)) {
            // with a file left out, its direct: consumers are missing too: no point in naming them
            endpoints(loadable.size() == files.size());
        }
        return problems;
    }

    // ---- placeholders

    private void placeholders(RouteFile file) {
        for (Node element : file.elements()) {
            for (NodeTuple entry : RouteFile.entries(element)) {
                Set<String> templateParameters = new TreeSet<>();
                if ("routeTemplate".equals(RouteFile.key(entry))) {
                    for (Node parameter : RouteFile.items(RouteFile.value(entry.getValueNode(), "parameters"))) {
                        templateParameters.add(RouteFile.text(RouteFile.value(parameter, "name")));
                    }
                }
                placeholders(file, entry.getValueNode(), templateParameters);
            }
        }
    }

    private void placeholders(RouteFile file, Node node, Set<String> templateParameters) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                placeholders(file, tuple.getValueNode(), templateParameters);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                placeholders(file, item, templateParameters);
            }
        } else if (node instanceof ScalarNode scalar) {
            Matcher matcher = PLACEHOLDER.matcher(scalar.getValue());
            while (matcher.find()) {
                String inner = matcher.group(1).strip();
                String key = inner.contains(":") ? inner.substring(0, inner.indexOf(':')) : inner;
                if (inner.startsWith("?") || templateParameters.contains(key)) {
                    continue;
                }
                if (inner.contains("{{") && templateParameters.stream().anyMatch(p -> inner.contains("{{" + p))) {
                    // a property named after a template parameter ({{ai.{{service}}.url}}): its value is known
                    // only per templated route, and the running application resolves it at start-up
                    continue;
                }
                try {
                    camel.resolvePropertyPlaceholders("{{" + inner + "}}");
                } catch (RuntimeException e) {
                    problems.add(file.error(scalar, "no value for {{" + inner + "}}: set the property '" + key
                            + "' (application.yaml or the environment)"
                            + Suggestions.didYouMean(key, properties.names())));
                }
            }
        }
    }

    // ---- expressions

    /**
     * simple and jq expressions parse: a misspelt function ({@code ${bdy}}), a missing brace, a jq mapping that
     * does not compile. An expression that parses as a predicate (filter, when) or as an expression passes.
     */
    private void expressions(RouteFile file, Node node) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> expressions(file, item));
        }
        for (NodeTuple entry : RouteFile.entries(node)) {
            String key = RouteFile.key(entry);
            Node value = entry.getValueNode();
            if ("parameters".equals(key)) {
                continue;
            }
            if ("log".equals(key) && RouteFile.value(value, "message") instanceof ScalarNode message) {
                // a log message is a simple expression
                expression(file, "simple", message);
            }
            if (LANGUAGES.contains(key)) {
                Node text = value instanceof ScalarNode ? value : RouteFile.value(value, "expression");
                if (RouteFile.text(text) != null) {
                    expression(file, key, (ScalarNode) text);
                    continue;
                }
            }
            expressions(file, value);
        }
    }

    private void expression(RouteFile file, String language, ScalarNode text) {
        String expression = text.getValue();
        if (expression.contains("{{")) {
            try {
                expression = camel.resolvePropertyPlaceholders(expression);
            } catch (RuntimeException e) {
                // a template parameter, or a missing property reported on its own
                return;
            }
        }
        ClassLoader classLoader = CamelModel.class.getClassLoader();
        LanguageValidationResult asExpression = catalog.validateLanguageExpression(classLoader, language, expression);
        if (asExpression.isSuccess()
                || catalog.validateLanguagePredicate(classLoader, language, expression).isSuccess()) {
            return;
        }
        String error = asExpression.getShortError() != null ? asExpression.getShortError()
                : firstLine(asExpression.getError());
        problems.add(file.error(text, language + " expression '" + text.getValue() + "' does not parse: " + error));
    }

    // ---- loading

    private boolean load(List<RouteFile> files, boolean reportFailure) {
        List<Resource> resources = new ArrayList<>();
        for (RouteFile file : files) {
            resources.add(ResourceHelper.resolveResource(camel, file.location()));
        }
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
            return true;
        } catch (Exception e) {
            if (reportFailure) {
                problems.add(loadProblem(files, e));
            }
            return false;
        }
    }

    private RouteFileProblem loadProblem(List<RouteFile> files, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYamlEngineException marked && marked.getProblemMark().isPresent()) {
                var mark = marked.getProblemMark().get();
                RouteFile file = filesByLocation.getOrDefault(mark.getName(), files.get(0));
                String problem = marked.getProblem() == null ? marked.getMessage() : marked.getProblem();
                return file.error(mark.getLine() + 1, "Camel cannot load this file: " + firstLine(problem));
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String text = e.getMessage() + " " + root.getMessage();
        for (RouteFile file : files) {
            if (text.contains(file.location()) || text.contains(file.path.getFileName().toString())) {
                return file.error(1, "Camel cannot load this file: " + firstLine(root.getMessage()));
            }
        }
        return files.get(0).error(1, "Camel cannot load the route files: " + firstLine(root.getMessage()));
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }

    // ---- endpoints

    /** An endpoint as a route uses it: where it is written, and how it is used. */
    private record Use(OptionalIdentifiedDefinition<?> definition, String uri, boolean consumer, boolean dynamic,
                       RouteDefinition route) {
    }

    private void endpoints(boolean allFilesLoaded) {
        List<Use> uses = new ArrayList<>();
        for (RouteDefinition route : camel.getRouteDefinitions()) {
            FromDefinition from = route.getInput();
            if (from != null) {
                uses.add(new Use(from, from.getEndpointUri(), true, false, route));
            }
            collect(route.getOutputs(), route, uses);
        }
        for (RouteConfigurationDefinition configuration : camel.getRouteConfigurationDefinitions()) {
            if (configuration.getErrorHandler() != null
                    && configuration.getErrorHandler().getErrorHandlerType() instanceof DeadLetterChannelDefinition dlc) {
                uses.add(new Use(configuration, dlc.getDeadLetterUri(), false, false, null));
            }
            configuration.getOnExceptions().forEach(onException -> collect(onException.getOutputs(), null, uses));
            configuration.getIntercepts().forEach(intercept -> collect(intercept.getOutputs(), null, uses));
            configuration.getOnCompletions().forEach(onCompletion -> collect(onCompletion.getOutputs(), null, uses));
        }

        Map<String, Use> directConsumers = new LinkedHashMap<>();
        List<Use> resolved = new ArrayList<>();
        for (Use use : uses) {
            String uri = resolve(use);
            if (uri == null || uri.startsWith("rest:")) {
                continue;
            }
            Use ready = new Use(use.definition, uri, use.consumer, use.dynamic, use.route);
            resolved.add(ready);
            if (use.consumer && uri.startsWith("direct:")) {
                directConsumers.put(directName(uri), ready);
            }
        }
        for (Use use : resolved) {
            validate(use);
            if (allFilesLoaded && !use.consumer && !use.dynamic && use.uri.startsWith("direct:")
                    && !directConsumers.containsKey(directName(use.uri))) {
                String name = directName(use.uri);
                String closest = Suggestions.closest(name, directConsumers.keySet());
                report(use, null, "no route reads from 'direct:" + name + "'"
                        + (closest == null ? "" : " (did you mean 'direct:" + closest + "'?)"));
            }
        }
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, RouteDefinition route, List<Use> uses) {
        @SuppressWarnings({"rawtypes", "unchecked"})
        Collection<ProcessorDefinition> all = ProcessorDefinitionHelper.filterTypeInOutputs(
                (List) outputs, ProcessorDefinition.class);
        for (ProcessorDefinition<?> processor : all) {
            if (processor instanceof SendDefinition<?> send) {
                uses.add(new Use(send, send.getEndpointUri(), false, false, route));
            } else if (processor instanceof ToDynamicDefinition dynamic) {
                uses.add(new Use(dynamic, dynamic.getUri(), false, true, route));
            }
        }
    }

    private String resolve(Use use) {
        if (use.uri == null) {
            return null;
        }
        PropertiesComponent placeholders = camel.getPropertiesComponent();
        Map<String, Object> template = use.route == null ? null : use.route.getTemplateParameters();
        if (template != null) {
            Properties local = new Properties();
            template.forEach((k, v) -> local.put(k, String.valueOf(v)));
            placeholders.setLocalProperties(local);
        }
        try {
            return camel.resolvePropertyPlaceholders(use.uri);
        } catch (RuntimeException e) {
            // a missing property: reported where the placeholder is written
            return null;
        } finally {
            placeholders.setLocalProperties(null);
        }
    }

    private void validate(Use use) {
        String uri = use.dynamic ? DYNAMIC.matcher(use.uri).replaceAll("x") : use.uri;
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : uri;
        EndpointValidationResult result;
        try {
            result = catalog.validateEndpointProperties(uri, false, use.consumer, !use.consumer);
        } catch (RuntimeException e) {
            report(use, null, "uri '" + use.uri + "' cannot be read: " + e.getMessage());
            return;
        }
        if (result.getUnknownComponent() != null) {
            report(use, null, "unknown component '" + scheme + "'"
                    + Suggestions.didYouMean(scheme, componentNames()));
            return;
        }
        if (result.getSyntaxError() != null) {
            report(use, null, "uri '" + use.uri + "' cannot be read: " + result.getSyntaxError());
            return;
        }
        if (result.getIncapable() != null) {
            report(use, null, "uri '" + use.uri + "' cannot be checked: " + result.getIncapable());
        }
        String endpoint = "of endpoint " + scheme;
        Set<String> optionNames = optionNames(scheme);
        for (Object option : nonNull(result.getUnknown())) {
            report(use, option.toString(), "unknown option '" + option + "' " + endpoint
                    + Suggestions.didYouMean(option.toString(), optionNames));
        }
        for (Object option : nonNull(result.getLenient())) {
            // http and the like send options they do not know to the service: a near miss is a typo, though
            String hint = Suggestions.didYouMean(option.toString(), optionNames);
            if (!hint.isEmpty()) {
                warn(use, option.toString(), "unknown option '" + option + "' " + endpoint + hint
                        + ", sent to the service as a query parameter");
            }
        }
        if (use.dynamic) {
            return;
        }
        for (Object option : nonNull(result.getRequired())) {
            report(use, null, "endpoint " + scheme + " needs the option '" + option + "'");
        }
        invalid(use, result.getInvalidBoolean(), endpoint, v -> "true or false");
        invalid(use, result.getInvalidInteger(), endpoint, v -> "a whole number");
        invalid(use, result.getInvalidNumber(), endpoint, v -> "a number");
        invalid(use, result.getInvalidDuration(), endpoint, v -> "a duration (e.g. 500 or 5s)");
        invalid(use, result.getInvalidReference(), endpoint, v -> "a bean reference (#beanName)");
        invalid(use, result.getInvalidArray(), endpoint, v -> "a list");
        invalid(use, result.getInvalidMap(), endpoint, v -> "a map");
        invalid(use, result.getInvalidEnum(), endpoint, option -> "one of " + result.getEnumChoices(option));
        for (Object option : nonNull(result.getNotConsumerOnly())) {
            report(use, option.toString(), "option '" + option + "' " + endpoint
                    + " applies only when sending (to:), not in from:");
        }
        for (Object option : nonNull(result.getNotProducerOnly())) {
            report(use, option.toString(), "option '" + option + "' " + endpoint
                    + " applies only in from:, not when sending");
        }
        classpathFile(use, uri, scheme);
    }

    @SuppressWarnings("rawtypes")
    private void invalid(Use use, Map invalid, String endpoint, Function<String, String> expected) {
        if (invalid == null) {
            return;
        }
        for (Object entry : invalid.entrySet()) {
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
            String option = e.getKey().toString();
            report(use, option, "option '" + option + "' " + endpoint + " must be " + expected.apply(option)
                    + ", not '" + e.getValue() + "'");
        }
    }

    private void classpathFile(Use use, String uri, String scheme) {
        String path = uri.substring(scheme.length() + 1);
        if (path.contains("?")) {
            path = path.substring(0, path.indexOf('?'));
        }
        if (path.startsWith("classpath:") && !ResourceHelper.resolveResource(camel, path).exists()) {
            report(use, null, "'" + path + "' does not exist (classpath files live in src/main/resources)");
        } else if (scheme.equals("sql") && !use.consumer) {
            parametersCount(use, uri, path);
        }
    }

    /**
     * A {@code sql:} producer states how many parameters its statement has ({@code parametersCount}): without it
     * camel-sql asks the database on every call ({@code getParameterMetaData()}, a round trip of its own, and
     * PostgreSQL parses the statement once more). The count must be what camel-sql makes of the statement. A
     * statement with an IN list ({@code :#in:ids}) has as many parameters as the list has items: camel-sql must ask.
     */
    private void parametersCount(Use use, String uri, String query) {
        int expected;
        boolean inList;
        String given;
        try {
            String sql = SqlHelper.resolveQuery(camel, query, "#");
            inList = IN_LIST.matcher(sql).find();
            String prepared = new DefaultSqlPrepareStatementStrategy().prepareQuery(sql, true, null);
            expected = (int) prepared.chars().filter(c -> c == '?').count();
            given = catalog.endpointProperties(uri).get("parametersCount");
        } catch (Exception e) {
            report(use, null, "the statement of '" + query + "' cannot be read: " + e.getMessage());
            return;
        }
        if (inList) {
            if (given != null) {
                report(use, "parametersCount", "option 'parametersCount' of endpoint sql must be left out: " + query
                        + " has an IN list (:#in:), whose number of parameters is the number of its items");
            }
            return;
        }
        if (expected == 0) {
            if (given != null) {
                report(use, "parametersCount", "option 'parametersCount' of endpoint sql must be left out: " + query
                        + " has no parameters");
            }
            return;
        }
        if (!String.valueOf(expected).equals(given)) {
            report(use, given == null ? null : "parametersCount", "option 'parametersCount' of endpoint sql must be "
                    + expected + ", the number of parameters in " + query + (given == null ? "" : ", not " + given)
                    + " (without it camel-sql asks the database for the count on every call)");
        }
    }

    private static Collection<?> nonNull(Collection<?> values) {
        return values == null ? List.of() : values;
    }

    private static String directName(String uri) {
        String name = uri.substring("direct:".length());
        if (name.startsWith("//")) {
            name = name.substring(2);
        }
        return name.contains("?") ? name.substring(0, name.indexOf('?')) : name;
    }

    /**
     * A problem on the line that shows it: the option's own line in 'parameters:', else the 'uri:' line. Routes
     * made from a template point into the template, and say which route they are.
     */
    private void report(Use use, String option, String message) {
        problems.add(problem(use, option, message, false));
    }

    private void warn(Use use, String option, String message) {
        problems.add(problem(use, option, message, true));
    }

    private RouteFileProblem problem(Use use, String option, String message, boolean warning) {
        LineNumberAware at = use.definition;
        RouteFile file = at.getLocation() == null ? null : filesByLocation.get(at.getLocation());
        if (file == null && use.route != null && use.route.getResource() != null) {
            file = filesByLocation.get(use.route.getResource().getLocation());
        }
        if (file == null) {
            file = filesByLocation.values().iterator().next();
        }
        int line = Math.max(1, at.getLineNumber());
        Node endpoint = endpointNode(file, line);
        if (endpoint != null) {
            Node optionKey = option == null ? null : optionKey(endpoint, option);
            Node uri = RouteFile.value(endpoint, "uri");
            line = RouteFile.line(optionKey != null ? optionKey : uri != null ? uri : endpoint);
        }
        if (use.route != null && use.route.getTemplateParameters() != null) {
            message += " (in route '" + use.route.getRouteId() + "' made from a route template)";
        }
        return warning ? RouteFileProblem.warning(file.name, line, message) : file.error(line, message);
    }

    /** The endpoint's option map: Camel numbers a step by its '- to:' line, a from: by its 'uri:' line. */
    private static Node endpointNode(RouteFile file, int line) {
        for (MappingNode mapping : file.mappingsStartingAt(line)) {
            if (RouteFile.value(mapping, "uri") != null || RouteFile.value(mapping, "deadLetterUri") != null) {
                return mapping;
            }
            for (NodeTuple entry : mapping.getValue()) {
                if (RouteFile.value(entry.getValueNode(), "uri") != null) {
                    return entry.getValueNode();
                }
            }
        }
        return null;
    }

    private static Node optionKey(Node endpoint, String option) {
        NodeTuple tuple = RouteFile.tuple(RouteFile.value(endpoint, "parameters"), option);
        return tuple == null ? null : tuple.getKeyNode();
    }

    private Set<String> optionNames(String scheme) {
        Set<String> names = new TreeSet<>();
        String json = catalog.componentJSonSchema(scheme);
        if (json != null) {
            try {
                JsonNode properties = new ObjectMapper().readTree(json).path("properties");
                properties.fieldNames().forEachRemaining(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private static Set<String> componentNames() {
        Set<String> names = new TreeSet<>();
        try {
            for (org.springframework.core.io.Resource resource : new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:META-INF/services/org/apache/camel/component/*")) {
                names.add(resource.getFilename());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
