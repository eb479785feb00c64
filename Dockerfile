# lead-ai-pipeline: one image for every route group (ROUTES_INCLUDE_PATTERN picks the group).
# Build stage: the project's own Maven wrapper in a JDK image; run stage: a JRE, a non-root user.
FROM eclipse-temurin:17.0.15_6-jdk-noble AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
COPY routes/ routes/
RUN ./mvnw -B -q package -DskipTests && cp target/lead-ai-pipeline-*.jar /app.jar

FROM eclipse-temurin:17.0.15_6-jre-noble
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
WORKDIR /deployments
COPY --from=build /app.jar app.jar
# the route files, read from disk: mount another folder over /deployments/routes to change them without a rebuild
COPY routes/ routes/
USER 10001:10001
ENV ROUTES_INCLUDE_PATTERN="file:/deployments/routes/*.camel.yaml" \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# 8080: API; 8081: probes and metrics (MANAGEMENT_PORT); 8090: the reference AI services, when REFERENCE_AI_ENABLED=true
EXPOSE 8080 8081 8090
ENTRYPOINT ["java", "-jar", "/deployments/app.jar"]
