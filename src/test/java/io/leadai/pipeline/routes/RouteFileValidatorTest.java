package io.leadai.pipeline.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an integrator reads when a route file is wrong: the file, the line, and the mistake in words. Each case is
 * a realistic file with one typical mistake; the expected text is the whole message.
 */
class RouteFileValidatorTest {

    private static RouteFileValidator validator;

    @TempDir
    Path temp;

    @BeforeAll
    static void validator() {
        validator = RouteFileValidator.withApplicationProperties();
    }

    @Test
    void badIndentationNamesTheLineAndWhatItShouldLineUpWith() throws IOException {
        List<String> problems = validate("shared-dead-letter.camel.yaml", """
                # A record that failed for good -> ai.error.
                - route:
                    id: dead-letter
                    from:
                      uri: direct:dead-letter
                      steps:
                        - bean:
                            ref: deadLetters
                            method: prepare
                        - to:
                            uri: kafka:{{app.topics.ai-error}}
                           parameters:
                              valueSerializer: org.apache.kafka.common.serialization.ByteArraySerializer
                """);

        assertThat(problems).containsExactly("routes/shared-dead-letter.camel.yaml:12: bad indentation:"
                + " 'parameters' is indented by 11 spaces but 'uri' above it (line 11) by 12");
    }

    @Test
    void aListItemOutOfLineIsBadIndentationToo() throws IOException {
        List<String> problems = validate("api-purge-outbox.camel.yaml", """
                - route:
                    id: purge-published-outbox
                    from:
                      uri: direct:purge-published-outbox
                      steps:
                        - to:
                            uri: sql:classpath:sql/purge-outbox.sql
                      - log:
                          message: "Purged ${header.CamelSqlUpdateCount} published outbox rows"
                """);

        assertThat(problems).containsExactly("routes/api-purge-outbox.camel.yaml:8: bad indentation:"
                + " '- log' is indented by 6 spaces but '- to' above it (line 6) by 8");
    }

    @Test
    void optionsOfAStepNotIndentedUnderItAreBadIndentation() throws IOException {
        List<String> problems = validate("api-purge-outbox.camel.yaml", """
                - route:
                    id: purge-published-outbox
                    from:
                      uri: direct:purge-published-outbox
                      steps:
                        - to:
                          uri: sql:classpath:sql/purge-outbox.sql
                """);

        assertThat(problems).containsExactly("routes/api-purge-outbox.camel.yaml:7: bad indentation:"
                + " 'uri' belongs under 'to' (line 6); indent it further than 'to'");
    }

    @Test
    void aStatementsParameterCountMustMatchItsSqlFile() throws IOException {
        List<String> problems = validate("api-purge-outbox.camel.yaml", """
                - route:
                    id: purge-published-outbox
                    from:
                      uri: direct:purge-published-outbox
                      steps:
                        - to:
                            uri: sql:classpath:sql/purge-outbox.sql
                        - to:
                            uri: sql:classpath:sql/purge-outbox.sql
                            parameters:
                              parametersCount: 2
                        - to:
                            uri: sql:classpath:sql/purge-outbox.sql
                            parameters:
                              parametersCount: 1
                """);

        assertThat(problems).containsExactly(
                "routes/api-purge-outbox.camel.yaml:7: option 'parametersCount' of endpoint sql must be 1, the number"
                        + " of parameters in classpath:sql/purge-outbox.sql (without it camel-sql asks the database"
                        + " for the count on every call)",
                "routes/api-purge-outbox.camel.yaml:11: option 'parametersCount' of endpoint sql must be 1, the"
                        + " number of parameters in classpath:sql/purge-outbox.sql, not 2 (without it camel-sql asks"
                        + " the database for the count on every call)");
    }

    @Test
    void aStatementWithAnInListHasNoFixedParameterCount() throws IOException {
        List<String> problems = validate("api-relay-outbox.camel.yaml", """
                - route:
                    id: mark-outbox-published
                    from:
                      uri: direct:mark-outbox-published
                      steps:
                        - to:
                            uri: sql:classpath:sql/mark-outbox-published.sql
                            parameters:
                              parametersCount: 1
                """);

        assertThat(problems).containsExactly("routes/api-relay-outbox.camel.yaml:9: option 'parametersCount' of"
                + " endpoint sql must be left out: classpath:sql/mark-outbox-published.sql has an IN list (:#in:),"
                + " whose number of parameters is the number of its items");
    }

    @Test
    void unknownStepIsNamedWithTheStepMeant() throws IOException {
        List<String> problems = validate("enricher-ask-intent.camel.yaml", """
                # One text -> the intent service -> intent {name, confidence}.
                - route:
                    id: ask-intent
                    from:
                      uri: direct:ask-intent
                      steps:
                        - tranform:
                            jq: "{text: .text, tenant_id: .tenant_id}"
                        - to:
                            uri: http://localhost:8090/intent
                            parameters:
                              httpMethod: POST
                """);

        assertThat(problems).containsExactly(
                "routes/enricher-ask-intent.camel.yaml:7: unknown step 'tranform' (did you mean 'transform'?)");
    }

    @Test
    void unknownEndpointOptionIsNamedWithItsEndpointAndLine() throws IOException {
        List<String> problems = validate("writer-store-ai-errors.camel.yaml", """
                # ai.error -> ai_errors.
                - route:
                    id: store-ai-errors
                    from:
                      uri: kafka:{{app.topics.ai-error}}
                      parameters:
                        groupId: "{{app.kafka.groups.error-writer}}"
                        brokerz: localhost:9092
                        autoOffsetReset: earliest
                      steps:
                        - log:
                            message: "${body}"
                """);

        assertThat(problems).containsExactly("routes/writer-store-ai-errors.camel.yaml:8: unknown option 'brokerz'"
                + " of endpoint kafka (did you mean 'brokers'?)");
    }

    @Test
    void endpointOptionValuesAndTheirUseAreChecked() throws IOException {
        List<String> problems = validate("writer-store-ai-errors.camel.yaml", """
                - route:
                    id: store-ai-errors
                    from:
                      uri: kafka:{{app.topics.ai-error}}
                      parameters:
                        batching: yes please
                      steps:
                        - to:
                            uri: kafka:{{app.topics.ai-result}}
                            parameters:
                              autoOffsetReset: earliest
                """);

        assertThat(problems).containsExactly(
                "routes/writer-store-ai-errors.camel.yaml:6: option 'batching' of endpoint kafka must be true or"
                        + " false, not 'yes please'",
                "routes/writer-store-ai-errors.camel.yaml:11: option 'autoOffsetReset' of endpoint kafka applies"
                        + " only in from:, not when sending");
    }

    @Test
    void stepOptionValuesAreChecked() throws IOException {
        List<String> problems = validate("enricher-error-handling.camel.yaml", """
                - routeConfiguration:
                    id: enrichment-errors
                    onException:
                      - onException:
                          exception:
                            - java.lang.Exception
                          redeliveryPolicy:
                            maximumRedeliveries: "{{app.enrichment.retry.max-redeliveries}}"
                            useExponentialBackOff: yes please
                            retryAttemptedLogLevel: LOUD
                """);

        assertThat(problems).containsExactly(
                "routes/enricher-error-handling.camel.yaml:9: 'useExponentialBackOff' must be true or false,"
                        + " not 'yes please'",
                "routes/enricher-error-handling.camel.yaml:10: 'retryAttemptedLogLevel' must be one of TRACE, DEBUG,"
                        + " INFO, WARN, ERROR, OFF, not 'LOUD'");
    }

    @Test
    void simpleAndJqExpressionsMustParse() throws IOException {
        List<String> problems = validate("enricher-ask-intent.camel.yaml", """
                - route:
                    id: ask-intent
                    from:
                      uri: direct:ask-intent
                      steps:
                        - transform:
                            jq: "{name: .intent, confidence: .confidence"
                        - filter:
                            simple: "${body.confidence} > 0.3"
                            steps:
                              - setHeader:
                                  name: ai_part
                                  simple: "${heder.ai_part}"
                              - log:
                                  message: "intent ${body.name"
                """);

        assertThat(problems).containsExactly(
                "routes/enricher-ask-intent.camel.yaml:7: jq expression '{name: .intent, confidence: .confidence'"
                        + " does not parse: Cannot compile query: {name: .intent, confidence: .confidence",
                "routes/enricher-ask-intent.camel.yaml:13: simple expression '${heder.ai_part}' does not parse:"
                        + " Unknown function: heder.ai_part",
                "routes/enricher-ask-intent.camel.yaml:15: simple expression 'intent ${body.name' does not parse:"
                        + " expected symbol functionEnd but was eol");
    }

    @Test
    void aRouteIdUsedInTwoFilesIsReportedAtTheSecond() throws IOException {
        write("api-first.camel.yaml", """
                - route:
                    id: respond-json
                    from:
                      uri: direct:respond-json
                      steps:
                        - log:
                            message: first
                """);
        List<String> problems = validate("api-second.camel.yaml", """
                # a copy of a file, its id left as it was
                - route:
                    id: respond-json
                    from:
                      uri: direct:respond-json-again
                      steps:
                        - log:
                            message: second
                """);

        assertThat(problems).containsExactly(
                "routes/api-second.camel.yaml:3: route id 'respond-json' is already used at routes/api-first.camel.yaml:2");
    }

    @Test
    void aPlaceholderWithoutValueNamesTheProperty() throws IOException {
        List<String> problems = validate("shared-dead-letter.camel.yaml", """
                - route:
                    id: dead-letter
                    from:
                      uri: direct:dead-letter
                      steps:
                        - to:
                            uri: kafka:{{app.topics.ai-eror}}
                """);

        assertThat(problems).containsExactly("routes/shared-dead-letter.camel.yaml:7: no value for"
                + " {{app.topics.ai-eror}}: set the property 'app.topics.ai-eror' (application.yaml or the"
                + " environment) (did you mean 'app.topics.ai-error'?)");
    }

    @Test
    void aDirectEndpointNoRouteReadsIsReported() throws IOException {
        List<String> problems = validate("api-lead-intake.camel.yaml", """
                - route:
                    id: wake-outbox-relay
                    from:
                      uri: direct:wake-outbox-relay
                      steps:
                        - log:
                            message: awake
                - route:
                    id: create-lead
                    from:
                      uri: direct:create-lead
                      steps:
                        - to:
                            uri: direct:wake-outbox-rely
                """);

        assertThat(problems).containsExactly("routes/api-lead-intake.camel.yaml:14: no route reads from"
                + " 'direct:wake-outbox-rely' (did you mean 'direct:wake-outbox-relay'?)");
    }

    @Test
    void theShortFormsKaotoDoesNotWriteAreReported() throws IOException {
        List<String> problems = validate("api-relay-outbox.camel.yaml", """
                - rest:
                    path: /api/v1/outbox
                    post:
                      - id: relayOutbox
                        to: direct:relay-outbox
                - route:
                    id: relay-outbox
                    from:
                      uri: direct:relay-outbox
                      steps:
                        - to: direct:wake-outbox-relay
                        - to:
                            uri: seda:outbox-wakeup?size=1
                - route:
                    id: wake-outbox-relay
                    from:
                      uri: direct:wake-outbox-relay
                      steps:
                        - log: awake
                - from:
                    uri: seda:outbox-wakeup
                    steps:
                      - log:
                          message: woken
                """);

        assertThat(problems).containsExactly(
                "routes/api-relay-outbox.camel.yaml:5: 'to: direct:relay-outbox' is the short form: write 'to:' with"
                        + " 'uri: direct:relay-outbox' on the line below it",
                "routes/api-relay-outbox.camel.yaml:11: 'to: direct:wake-outbox-relay' is the short form: write 'to:'"
                        + " with 'uri: direct:wake-outbox-relay' on the line below it",
                "routes/api-relay-outbox.camel.yaml:13: uri 'seda:outbox-wakeup?size=1' has a query string: put its"
                        + " options under 'parameters:', one per line",
                "routes/api-relay-outbox.camel.yaml:19: step 'log' is written as a single value ('awake'): write its"
                        + " options as a map below it",
                "routes/api-relay-outbox.camel.yaml:20: a route without '- route:': write it as '- route:' with an"
                        + " 'id:' and this 'from:' inside");
    }

    @Test
    void templatesTemplatedRoutesConfigurationsRestAndBeansPass() throws IOException {
        List<String> problems = validate("enricher-ask-ai-services.camel.yaml", """
                # Each AI service is one route made from one template.
                - beans:
                    - name: callsCounted
                      type: java.util.concurrent.atomic.AtomicLong
                - routeConfiguration:
                    id: ai-errors
                    onException:
                      - onException:
                          exception:
                            - java.io.IOException
                          handled:
                            constant: true
                          steps:
                            - to:
                                uri: direct:ai-failed
                - routeTemplate:
                    id: ask-ai-service
                    parameters:
                      - name: service
                      - name: url
                      - name: timeout
                        defaultValue: "{{camel.component.http.response-timeout}}"
                    route:
                      routeConfigurationId: ai-errors
                      from:
                        uri: direct:ask-{{service}}
                        steps:
                          - to:
                              uri: "http://{{url}}"
                              parameters:
                                httpMethod: POST
                                responseTimeout: "{{timeout}}"
                - templatedRoute:
                    routeTemplateRef: ask-ai-service
                    routeId: ask-intent-service
                    parameters:
                      - name: service
                        value: intent
                      - name: url
                        value: localhost:8090/intent
                - templatedRoute:
                    routeTemplateRef: ask-ai-service
                    routeId: ask-entity-service
                    parameters:
                      - name: service
                        value: entity
                      - name: url
                        value: localhost:8090/entities
                - rest:
                    path: /ai
                    post:
                      - id: askIntent
                        to:
                          uri: direct:ask-intent
                - route:
                    id: ai-failed
                    from:
                      uri: direct:ai-failed
                      steps:
                        - setHeader:
                            name: CamelHttpResponseCode
                            constant: 502
                """);

        assertThat(problems).isEmpty();
    }

    @Test
    void anEndpointOfARouteTemplateIsCheckedInEveryRouteMadeFromIt() throws IOException {
        List<String> problems = validate("enricher-ask-ai-services.camel.yaml", """
                - routeTemplate:
                    id: ask-ai-service
                    parameters:
                      - name: service
                    route:
                      from:
                        uri: direct:ask-{{service}}
                        steps:
                          - to:
                              uri: kafka:ai.{{service}}
                              parameters:
                                brokerz: localhost:9092
                - templatedRoute:
                    routeTemplateRef: ask-ai-service
                    routeId: ask-intent-service
                    parameters:
                      - name: service
                        value: intent
                """);

        assertThat(problems).containsExactly("routes/enricher-ask-ai-services.camel.yaml:12: unknown option"
                + " 'brokerz' of endpoint kafka (did you mean 'brokers'?) (in route 'ask-intent-service' made"
                + " from a route template)");
    }

    @Test
    void aNearMissOfAnHttpOptionIsAWarning() throws IOException {
        List<String> problems = validate("enricher-ask-intent.camel.yaml", """
                - route:
                    id: ask-intent
                    from:
                      uri: direct:ask-intent
                      steps:
                        - to:
                            uri: http://localhost:8090/intent
                            parameters:
                              httpMetod: POST
                """);

        assertThat(problems).containsExactly("routes/enricher-ask-intent.camel.yaml:9: warning: unknown option"
                + " 'httpMetod' of endpoint http (did you mean 'httpMethod'?), sent to the service as a query"
                + " parameter");
    }

    private List<String> validate(String name, String content) throws IOException {
        write(name, content);
        return validator.validate(temp.resolve("routes")).stream().map(RouteFileProblem::toString).toList();
    }

    private void write(String name, String content) throws IOException {
        Files.createDirectories(temp.resolve("routes"));
        Files.writeString(temp.resolve("routes").resolve(name), content);
    }
}
