# lead-ai-pipeline: one image for every route group (ROUTES_INCLUDE_PATTERN picks the group).
# Build stage: the project's own Maven wrapper in a JDK 17 image (Java 17 bytecode, as the tests build it); run stage:
# a JRE 25, a non-root user. In the benchmark's measured runs the JIT compiler used a quarter of the CPU on 25 that
# it used on 17, and the application less CPU per lead (docs/performance.md).
FROM eclipse-temurin:17.0.15_6-jdk-noble AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
COPY routes/ routes/
RUN ./mvnw -B -q package -DskipTests && cp target/lead-ai-pipeline-*.jar /app.jar

FROM eclipse-temurin:25.0.3_9-jre-noble
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
WORKDIR /deployments
COPY --from=build /app.jar /tmp/app.jar
# Start-up (docs/performance.md): the jar extracted (the application jar and its libraries side by side, no nested
# jars to open while classes load), and a class data sharing archive of the classes a start-up loads, made by a
# training start that needs no database or broker and ends once the context is refreshed. The archive belongs to
# this image's JVM; with another JVM the application starts without it.
RUN java -Djarmode=tools -jar /tmp/app.jar extract --destination /deployments/app && rm /tmp/app.jar \
    && mv /deployments/app/lead-ai-pipeline-*.jar /deployments/app/app.jar \
    && DATABASE_MIGRATE=false DATABASE_URL=jdbc:postgresql://127.0.0.1:1/none KAFKA_BROKERS=127.0.0.1:1 \
       KAFKA_CREATE_TOPICS=false SERVER_PORT=0 MANAGEMENT_PORT=0 \
       java -XX:ArchiveClassesAtExit=/deployments/app.jsa -Dspring.context.exit=onRefresh -jar /deployments/app/app.jar
# the route files, read from disk: mount another folder over /deployments/routes to change them without a rebuild
COPY routes/ routes/
USER 10001:10001
ENV ROUTES_INCLUDE_PATTERN="file:/deployments/routes/*.camel.yaml" \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# 8080: API; 8081: probes and metrics (MANAGEMENT_PORT); 8090: the reference AI services, when REFERENCE_AI_ENABLED=true
EXPOSE 8080 8081 8090
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/deployments/app.jsa", "-jar", "/deployments/app/app.jar"]
