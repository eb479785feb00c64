package io.leadai.pipeline.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.leadai.pipeline.bench.BenchResults.Latency;
import io.leadai.pipeline.bench.BenchResults.Stage;
import io.leadai.pipeline.bench.BenchResults.Reconciliation;
import io.leadai.pipeline.bench.BenchResults.Resources;
import io.leadai.pipeline.bench.BenchResults.Target;
import io.leadai.pipeline.bench.BenchResults.Throughput;
import io.leadai.pipeline.bench.LeadEventPublisher.Lead;
import io.leadai.pipeline.testinfra.ApplicationProcess;
import io.leadai.pipeline.testinfra.KafkaProcess;
import io.leadai.pipeline.testinfra.ProcessUsage;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * One benchmark run, every part in a process of its own on this machine: a Kafka broker, PostgreSQL, the stub
 * AI services, the application's packaged jar, and this JVM as the load generator. In order: the pipeline's
 * start-up, a warm-up, the throughput run, the open-loop latency runs, then the floor (the same jar running
 * only bench/routes/floor-store-leads.camel.yaml: Kafka to PostgreSQL without the AI services).
 */
final class PipelineBenchmark {

    static final String LEAD_CREATED = "lead.created";
    static final String AI_RESULT = "ai.process.result";
    static final String AI_ERROR = "ai.error";
    static final String FLOOR_TOPIC = "bench.floor.lead.created";
    private static final String FLOOR_GROUP = "bench-floor";
    private static final String WRITER_GROUP = "lead-ai-writer";
    private static final Map<String, List<String>> PIPELINE_GROUPS = Map.of(
            "lead-ai-enrichment", List.of(LEAD_CREATED, "lead.message", "ai.process.request"),
            WRITER_GROUP, List.of(AI_RESULT),
            "lead-ai-error-writer", List.of(AI_ERROR));

    private final BenchSettings settings;
    private final String runId;
    private final Path runDirectory;
    private final CpuMeter cpu = new CpuMeter();
    private KafkaProcess kafka;
    private Admin admin;
    private ApplicationProcess app;
    /** The JDK the application ran on, as read from its process. */
    private String appJava = "";
    private int latencyRuns;

    PipelineBenchmark(BenchSettings settings) {
        this.settings = settings;
        this.runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + (settings.full() ? "" : "-smoke");
        this.runDirectory = settings.workDirectory().resolve(runId);
    }

    String runId() {
        return runId;
    }

    BenchResults run() throws IOException {
        Files.createDirectories(runDirectory);
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Double> loadBefore = loadAverage();
        log("run %s, work files in %s", runId, runDirectory);
        EmbeddedPostgres postgres = TestInfrastructure.startEmbeddedPostgres(EmbeddedPostgres.builder()
                // PostgreSQL's own default, which the embedded server turns off; production commits durably
                .setServerConfig("synchronous_commit", settings.synchronousCommit())
                // the true commit time of each row, for the latencies (pg_xact_commit_timestamp)
                .setServerConfig("track_commit_timestamp", "on")
                // postgres.log of the run names what PostgreSQL did besides the writer's work: statements slower
                // than 100 ms, every autovacuum and autoanalyze
                .setServerConfig("log_min_duration_statement", "100")
                .setServerConfig("log_autovacuum_min_duration", "0")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(runDirectory.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(runDirectory.resolve("postgres.log").toFile())));
        try {
            String adminUrl = postgres.getJdbcUrl("postgres", "postgres");
            TestInfrastructure.Database pipelineDatabase =
                    TestInfrastructure.createDatabase(adminUrl, "postgres", "postgres", "bench_pipeline");
            TestInfrastructure.Database floorDatabase =
                    TestInfrastructure.createDatabase(adminUrl, "postgres", "postgres", "bench_floor");
            kafka = KafkaProcess.start();
            log("Kafka %s (pid %d), PostgreSQL port %d", kafka.bootstrapServers(), kafka.pid(), postgres.getPort());
            try (StubAiProcess stub = StubAiProcess.start(settings.aiLatencyMs(), runDirectory.resolve("stub-ai.log"));
                 Admin kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                         kafka.bootstrapServers()))) {
                admin = kafkaAdmin;
                long postmaster;
                try (BenchDatabase any = new BenchDatabase(pipelineDatabase)) {
                    postmaster = ProcessUsage.parentPid(any.backendPid());
                }
                long harness = ProcessHandle.current().pid();
                cpu.add("app", () -> app.usage().cpu())
                        .add("kafka", () -> kafka.usage().cpu())
                        .add("postgres", () -> ProcessUsage.treeCpu(postmaster))
                        .add("stub_ai", () -> stub.usage().cpu())
                        .add("load_generator", () -> ProcessUsage.of(harness).cpu());
                return measure(stub, pipelineDatabase, floorDatabase, startedAt, loadBefore);
            } finally {
                kafka.close();
            }
        } finally {
            postgres.close();
        }
    }

    private BenchResults measure(StubAiProcess stub, TestInfrastructure.Database pipelineDatabase,
                                 TestInfrastructure.Database floorDatabase, String startedAt, List<Double> loadBefore) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KAFKA_BROKERS", kafka.bootstrapServers());
        environment.put("AI_INTENT_URL", stub.intentUrl());
        environment.put("AI_ENTITY_URL", stub.entityUrl());
        environment.putAll(settings.appEnvironment());

        Map<String, String> pipelineEnvironment = new LinkedHashMap<>(environment);
        pipelineEnvironment.putAll(pipelineDatabase.environment());
        Throughput throughput;
        List<Latency> latencies = new ArrayList<>();
        Resources resources;
        List<String> profiles = new ArrayList<>();
        try (BenchDatabase database = new BenchDatabase(pipelineDatabase)) {
            Started started = startApplication("pipeline", pipelineEnvironment, PIPELINE_GROUPS);
            try {
                warmUp(database, LEAD_CREATED);
                throughput = throughput("pipeline", database, LEAD_CREATED, true, profiles);
                List<Rate> rates = latencyRates(throughput.leadsPerSecond());
                if (!rates.isEmpty()) {
                    openLoopWarmUp(database, rates.get(0).perSecond());
                }
                for (Rate rate : rates) {
                    latencies.add(latency(database, rate));
                }
            } finally {
                resources = stopApplication(started);
            }
        }

        Throughput floor = null;
        Resources floorResources = null;
        if (settings.floor()) {
            Map<String, String> floorEnvironment = new LinkedHashMap<>(environment);
            floorEnvironment.putAll(floorDatabase.environment());
            floorEnvironment.put("ROUTES_INCLUDE_PATTERN", "file:" + settings.floorRoutes().resolve("floor-*.camel.yaml"));
            floorEnvironment.put("TOPIC_LEAD_CREATED", FLOOR_TOPIC);
            floorEnvironment.put("KAFKA_WRITER_GROUP_ID", FLOOR_GROUP);
            try (BenchDatabase database = new BenchDatabase(floorDatabase)) {
                Started started = startApplication("floor", floorEnvironment, Map.of(FLOOR_GROUP, List.of(FLOOR_TOPIC)));
                try {
                    warmUp(database, FLOOR_TOPIC);
                    floor = throughput("floor", database, FLOOR_TOPIC, false, profiles);
                } finally {
                    floorResources = stopApplication(started);
                }
            }
        }
        BenchResults.Machine machine = machine(loadBefore);
        return new BenchResults(runId, startedAt, gitCommit(), machine, parameters(), resources, throughput, latencies,
                floor, floorResources, targets(throughput, latencies, resources, floor, machine), profiles);
    }

    /** The application started and consuming: its GC log, and how long it took to get there. */
    private record Started(Path gcLog, double readyMs, double consumingMs) {
    }

    private Started startApplication(String name, Map<String, String> environment,
                                     Map<String, List<String>> consumerGroups) {
        Path gcLog = runDirectory.resolve(name + "-gc.log");
        List<String> jvmOptions = new ArrayList<>(settings.appJvmOptions());
        jvmOptions.addAll(GcLog.options(gcLog));
        log("%s: starting the application (%s)", name, String.join(" ", jvmOptions));
        app = ApplicationProcess.start(environment, jvmOptions, runDirectory.resolve(name + "-app.log"));
        double readyMs;
        double consumingMs;
        try {
            readyMs = app.awaitReady(Duration.ofMinutes(2)).toNanos() / 1e6;
            awaitConsuming(consumerGroups);
            consumingMs = app.uptime().toNanos() / 1e6;
        } catch (RuntimeException e) {
            app.kill();
            throw new IllegalStateException(name + ": the application did not get ready; see " + app.log(), e);
        }
        appJava = javaVersion(app.runningJavaHome());
        log("%s: ready in %.1f s, consuming in %.1f s (pid %d, %s)", name, readyMs / 1000, consumingMs / 1000, app.pid(),
                appJava);
        return new Started(gcLog, readyMs, consumingMs);
    }

    private Resources stopApplication(Started started) {
        // the kernel forgets a process's peak memory when it ends: read it first
        ProcessUsage usage = app.usage();
        double shutdownMs = app.stop().toNanos() / 1e6;
        GcLog heap = GcLog.read(started.gcLog());
        return new Resources(started.readyMs(), started.consumingMs(), usage.peakRssBytes() / 1048576.0, heap.maxMb(),
                heap.peakUsedMb(), heap.peakCommittedMb(), heap.peakAfterGcMb(), heap.pauses(), heap.pauseMs(),
                shutdownMs);
    }

    /** Until each group's members own every partition of its topics, so that no phase measures a rebalance. */
    private void awaitConsuming(Map<String, List<String>> groups) {
        await("consumer groups " + groups.keySet() + " own their partitions").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Map<String, ConsumerGroupDescription> described =
                            admin.describeConsumerGroups(groups.keySet()).all().get();
                    for (Map.Entry<String, List<String>> group : groups.entrySet()) {
                        Set<TopicPartition> owned = described.get(group.getKey()).members().stream()
                                .flatMap(m -> m.assignment().topicPartitions().stream())
                                .collect(Collectors.toSet());
                        if (owned.size() < partitions(group.getValue()).size()) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private void warmUp(BenchDatabase database, String topic) {
        if (settings.warmupEvents() <= 0) {
            return;
        }
        String tenant = "warmup-" + topic;
        List<Lead> leads = Lead.create(settings.warmupEvents());
        database.insertLeads(tenant, leads);
        Progress progress = writtenBy(topic);
        Map<String, Duration> threadsBefore = ThreadCpu.snapshot(app.pid());
        try (LeadEventPublisher publisher = new LeadEventPublisher(kafka.bootstrapServers(), topic, 5)) {
            publisher.burst(tenant, leads);
        }
        awaitRows(database, tenant, settings.warmupEvents(), progress);
        Map<String, Double> threads = CpuMeter.secondsBetween(threadsBefore, ThreadCpu.snapshot(app.pid()));
        log("warm-up: %d events stored; the application's CPU %.1f s, of which the JIT compiler %.1f s",
                database.rows(tenant), threads.get("total"), threads.get("jit_compiler"));
    }

    /** With {@code bench.profile}, the run is recorded and its summary's path added to {@code profiles}. */
    private Throughput throughput(String name, BenchDatabase database, String topic, boolean enriched,
                                  List<String> profiles) {
        Path recording = settings.profile() ? runDirectory.resolve(name + "-throughput.jfr") : null;
        String tenant = "throughput-" + name;
        int events = settings.events();
        List<Lead> leads = Lead.create(events);
        database.insertLeads(tenant, leads);
        if (recording != null) {
            jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + recording);
        }
        Offsets before = offsets(topic);
        Progress progress = writtenBy(topic);
        Map<String, Duration> cpuBefore = cpu.snapshot();
        Map<String, Duration> threadsBefore = ThreadCpu.snapshot(app.pid());
        LeadEventPublisher.Burst burst;
        try (LeadEventPublisher publisher = new LeadEventPublisher(kafka.bootstrapServers(), topic, 5)) {
            burst = publisher.burst(tenant, leads);
        }
        log("%s: %d events published in %.1f s", name, burst.acked(), burst.publishSeconds());
        awaitRows(database, tenant, events, progress);
        Map<String, Duration> cpuAfter = cpu.snapshot();
        Map<String, Duration> threadsAfter = ThreadCpu.snapshot(app.pid());
        if (recording != null) {
            jcmd("JFR.stop", "name=bench");
            profiles.add(writeProfile(name, recording));
        }
        Offsets after = offsets(topic);
        Map<String, Long> commits = database.commitMicros(tenant);
        long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, burst.start());
        long lastCommit = commits.values().stream().mapToLong(Long::longValue).max().orElse(startMicros);
        double seconds = (lastCommit - startMicros) / 1e6;
        Map<String, Double> cpuSeconds = CpuMeter.secondsBetween(cpuBefore, cpuAfter);
        Reconciliation reconciliation = reconcile(database, tenant, eventIds(leads), burst.acked(), commits.keySet(),
                before, after, enriched);
        Map<String, Double> appCpuByThread = CpuMeter.secondsBetween(threadsBefore, threadsAfter);
        appCpuByThread.remove("total");
        Throughput throughput = new Throughput(events, burst.publishSeconds(), seconds,
                commits.isEmpty() ? 0 : commits.size() / seconds, cpuSeconds,
                cpuSeconds.get("app") / (events / 1000.0), appCpuByThread, reconciliation);
        log("%s: %d rows in %.1f s = %.0f leads/s; app CPU %.2f s per 1,000 leads; %s", name, commits.size(), seconds,
                throughput.leadsPerSecond(), throughput.appCpuSecondsPerThousandLeads(), reconciliation);
        return throughput;
    }

    /** An open-loop rate, and the fraction of the measured throughput it is (null for an explicit rate). */
    private record Rate(Double fraction, double perSecond) {
    }

    /** The open-loop rates: {@code bench.latency.rates} if given, else fractions of the measured throughput. */
    private List<Rate> latencyRates(double throughput) {
        if (!settings.latencyRates().isEmpty()) {
            return settings.latencyRates().stream().map(rate -> new Rate(null, rate)).toList();
        }
        if (throughput <= 0) {
            return List.of();
        }
        return settings.latencyFractions().stream().map(fraction -> new Rate(fraction, fraction * throughput)).toList();
    }

    private Latency latency(BenchDatabase database, Rate target) {
        double rate = target.perSecond();
        String tenant = "latency-" + (++latencyRuns);
        List<Lead> leads = Lead.create((int) Math.round(rate * settings.latencySeconds()));
        Offsets before = offsets(LEAD_CREATED);
        Sent sent = sendOpenLoop(database, tenant, leads, rate);
        LeadEventPublisher.OpenLoop run = sent.run();
        Offsets after = offsets(LEAD_CREATED);
        Map<String, BenchDatabase.RowTimes> rows = database.rowTimes(tenant);
        Histogram total = histogram();
        Histogram toEnricher = histogram();
        Histogram enrichment = histogram();
        Histogram toWriter = histogram();
        Histogram writer = histogram();
        run.intendedMicros().forEach((eventId, intended) -> {
            BenchDatabase.RowTimes row = rows.get(eventId);
            if (row != null) {
                total.recordValue(Math.max(0, row.committed() - intended));
                toEnricher.recordValue(Math.max(0, row.enrichmentStarted() - intended));
                enrichment.recordValue(Math.max(0, row.enriched() - row.enrichmentStarted()));
                toWriter.recordValue(Math.max(0, row.writerStarted() - row.enriched()));
                writer.recordValue(Math.max(0, row.committed() - row.writerStarted()));
            }
        });
        Reconciliation reconciliation = reconcile(database, tenant, eventIds(leads), run.acked(), rows.keySet(),
                before, after, true);
        List<Stage> stages = List.of(stage("to the enricher", toEnricher), stage("enrichment", enrichment),
                stage("to the writer", toWriter), stage("writer transaction", writer));
        Latency latency = new Latency(target.fraction(), rate, settings.latencySeconds(), leads.size(),
                ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(90)),
                ms(total.getValueAtPercentile(99)), ms(total.getValueAtPercentile(99.9)),
                ms(total.getMaxValue()), run.maxSendLagMs(), stages, sent.cores(), reconciliation);
        log("latency at %.0f leads/s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; cores in use %s; %s", rate,
                latency.p50Ms(), latency.p99Ms(), latency.p999Ms(), latency.maxMs(), sent.cores(), reconciliation);
        return latency;
    }

    /**
     * An open-loop run at the first rate, not measured. The warm-up and the throughput run send in bursts; the first
     * open-loop run after them was the first to meet sends one at a time and small batches in the generator, the
     * broker and the application, and its p99 was several times that of a second run at the same rate
     * (docs/performance.md).
     */
    private void openLoopWarmUp(BenchDatabase database, double rate) {
        int events = (int) Math.round(rate * settings.latencyWarmupSeconds());
        if (events <= 0) {
            return;
        }
        Sent sent = sendOpenLoop(database, "warmup-open-loop", Lead.create(events), rate);
        log("open-loop warm-up: %d events at %.0f leads/s; cores in use %s", events, rate, sent.cores());
    }

    /** What an open-loop run sent, and each process's CPU seconds per second while it sent. */
    private record Sent(LeadEventPublisher.OpenLoop run, Map<String, Double> cores) {
    }

    /** The tenant's leads, their events sent at {@code rate}, and their rows awaited. */
    private Sent sendOpenLoop(BenchDatabase database, String tenant, List<Lead> leads, double rate) {
        database.insertLeads(tenant, leads);
        Progress progress = writtenBy(LEAD_CREATED);
        Map<String, Duration> cpuBefore = cpu.snapshot();
        long startNanos = System.nanoTime();
        LeadEventPublisher.OpenLoop run;
        try (LeadEventPublisher publisher = new LeadEventPublisher(kafka.bootstrapServers(), LEAD_CREATED, 0)) {
            run = publisher.openLoop(tenant, leads, rate);
        }
        Map<String, Duration> cpuAfter = cpu.snapshot();
        double sendingSeconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        CpuMeter.secondsBetween(cpuBefore, cpuAfter).forEach((process, seconds) -> cores.put(process,
                Math.round(100 * seconds / sendingSeconds) / 100.0));
        awaitRows(database, tenant, leads.size(), progress);
        return new Sent(run, cores);
    }

    /** µs, up to an hour, three significant digits. */
    private static Histogram histogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    private static Stage stage(String name, Histogram histogram) {
        return new Stage(name, ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(99)),
                ms(histogram.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** End offsets of the source topic, ai.process.result and ai.error. */
    private record Offsets(long source, long results, long errors) {
    }

    private Offsets offsets(String topic) {
        return new Offsets(endOffset(topic), endOffset(AI_RESULT), endOffset(AI_ERROR));
    }

    private Reconciliation reconcile(BenchDatabase database, String tenant, Collection<String> sent, long acknowledged,
                                     Collection<String> stored, Offsets before, Offsets after, boolean enriched) {
        Set<String> missing = new HashSet<>(sent);
        missing.removeAll(stored);
        Set<String> unexpected = new HashSet<>(stored);
        unexpected.removeAll(sent);
        return new Reconciliation(sent.size(), acknowledged, after.source() - before.source(), stored.size(),
                missing.size(), unexpected.size(), database.duplicateLeads(tenant),
                (after.errors() - before.errors()) + database.deadLetters(tenant),
                enriched ? after.results() - before.results() : null, enriched ? database.enrichedLeads(tenant) : null);
    }

    private static Set<String> eventIds(List<Lead> leads) {
        return leads.stream().map(Lead::eventId).collect(Collectors.toSet());
    }

    /**
     * The consumer group that writes the rows of a phase, the topic it reads, and how far it had committed when
     * the phase began.
     */
    private record Progress(String group, String topic, long committedBefore) {
    }

    /** The rows of events on {@code topic} are written by the result writer, or for the floor by its one route. */
    private Progress writtenBy(String topic) {
        String group = FLOOR_TOPIC.equals(topic) ? FLOOR_GROUP : WRITER_GROUP;
        String read = FLOOR_TOPIC.equals(topic) ? FLOOR_TOPIC : AI_RESULT;
        return new Progress(group, read, committed(group, read));
    }

    /**
     * Until the tenant has {@code expected} rows, or nothing moved for {@code bench.stall-seconds}: then the
     * reconciliation tells what is missing. Progress is the writing group's committed offsets (a cheap request to
     * the broker); the rows are counted only once it has committed {@code expected} records more than when the
     * phase began. Counting the warm-up's 100,000 rows took PostgreSQL 100 to 300 ms each time, four times a second,
     * on the cores the application needs.
     */
    private void awaitRows(BenchDatabase database, String tenant, long expected, Progress progress) {
        AtomicLong seen = new AtomicLong(-1);
        AtomicLong rows = new AtomicLong(-1);
        AtomicLong progressAt = new AtomicLong(System.nanoTime());
        long stallNanos = Duration.ofSeconds(settings.stallSeconds()).toNanos();
        try {
            await("rows of " + tenant).atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        long written = committed(progress.group(), progress.topic()) - progress.committedBefore();
                        if (written >= expected) {
                            rows.set(database.rows(tenant));
                        }
                        long moved = Math.max(written, rows.get());
                        if (moved != seen.getAndSet(moved)) {
                            progressAt.set(System.nanoTime());
                        } else if (System.nanoTime() - progressAt.get() > stallNanos) {
                            throw new IllegalStateException("nothing written for " + settings.stallSeconds() + " s");
                        }
                        return rows.get() >= expected;
                    });
        } catch (RuntimeException e) {
            log("%s: %d of %d rows, stopped waiting: %s", tenant, database.rows(tenant), expected, e.getMessage());
        }
    }

    /** The sum of {@code group}'s committed offsets on {@code topic}'s partitions. */
    private long committed(String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("committed offsets of " + group, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Set<TopicPartition> partitions(List<String> topics) throws ExecutionException, InterruptedException {
        return admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                .collect(Collectors.toSet());
    }

    private long endOffset(String topic) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions(List.of(topic)).forEach(p -> latest.put(p, OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("offsets of " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A diagnostic command to the application's JVM (Java Flight Recorder). */
    private void jcmd(String... command) {
        List<String> arguments = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(app.pid())));
        arguments.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", arguments) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String writeProfile(String name, Path recording) {
        try {
            Files.createDirectories(settings.resultsDirectory());
            Path summary = settings.resultsDirectory().resolve(runId + "-" + name + "-profile.txt");
            Files.writeString(summary, "Profile of the " + name + " throughput run (" + settings.events()
                    + " events): the application, Java Flight Recorder, settings=profile; recording "
                    + settings.baseDirectory().relativize(recording) + "\n\n" + JfrSummary.summarize(recording, 30));
            log("profile: %s", summary);
            return settings.baseDirectory().relativize(summary).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("mode", settings.full() ? "full" : "smoke");
        parameters.put("events", settings.events());
        parameters.put("warmup_events", settings.warmupEvents());
        parameters.put("ai_latency_ms", settings.aiLatencyMs());
        parameters.put("latency_seconds", settings.latencySeconds());
        parameters.put("latency_warmup_seconds", settings.latencyWarmupSeconds());
        parameters.put("app_jvm_options", settings.appJvmOptions());
        parameters.put("app_env", settings.appEnvironment());
        parameters.put("postgres_synchronous_commit", settings.synchronousCommit());
        parameters.put("kafka_partitions", 6);
        parameters.put("profile", settings.profile());
        return parameters;
    }

    private List<Target> targets(Throughput throughput, List<Latency> latencies, Resources resources, Throughput floor,
                                 BenchResults.Machine machine) {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("throughput", ">= 5,000 leads/s (2 cores, 10 ms AI latency)",
                "%.0f leads/s on %d cores, %d ms AI latency".formatted(throughput.leadsPerSecond(), machine.cores(),
                        settings.aiLatencyMs()), throughput.leadsPerSecond() >= 5000));
        Latency half = latencies.stream().filter(l -> l.fractionOfThroughput() != null
                && Math.abs(l.fractionOfThroughput() - 0.5) < 1e-9).findFirst().orElse(null);
        targets.add(new Target("latency", "p99 <= 100 ms at 50% of the measured throughput",
                half == null ? "not measured" : "p99 %.1f ms at %.0f leads/s".formatted(half.p99Ms(), half.ratePerSecond()),
                half == null ? null : half.p99Ms() <= 100));
        targets.add(new Target("heap", "<= 512 MB",
                "peak used %.0f MB, peak committed %.0f MB, max %.0f MB".formatted(resources.peakHeapUsedMb(),
                        resources.peakHeapCommittedMb(), resources.heapMaxMb()),
                resources.peakHeapCommittedMb() > 0 ? resources.peakHeapCommittedMb() <= 512 : null));
        targets.add(new Target("ready", "<= 10 s", "%.1f s".formatted(resources.readyMs() / 1000),
                resources.readyMs() <= 10_000));
        targets.add(new Target("floor", "throughput >= 50% of the floor",
                floor == null ? "not measured" : "%.0f%% of %.0f leads/s".formatted(
                        100 * throughput.leadsPerSecond() / floor.leadsPerSecond(), floor.leadsPerSecond()),
                floor == null ? null : throughput.leadsPerSecond() >= 0.5 * floor.leadsPerSecond()));
        targets.add(new Target("no loss", "N in, N rows, 0 duplicates",
                throughput.reconciliation().toString(), throughput.reconciliation().ok()));
        return targets;
    }

    private BenchResults.Machine machine(List<Double> loadBefore) {
        return new BenchResults.Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memoryMb(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                appJava, loadBefore, loadAverage());
    }

    /** A JDK's vendor and version, from its {@code release} file. */
    static String javaVersion(Path javaHome) {
        try {
            Properties release = new Properties();
            try (var reader = Files.newBufferedReader(javaHome.resolve("release"))) {
                release.load(reader);
            }
            return (release.getProperty("IMPLEMENTOR", "") + " " + release.getProperty("JAVA_RUNTIME_VERSION",
                    release.getProperty("JAVA_VERSION", "?"))).replace("\"", "").trim();
        } catch (IOException e) {
            return javaHome.toString();
        }
    }

    static List<Double> loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return List.of(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String cpuModel() {
        return procField("/proc/cpuinfo", "model name");
    }

    private static long memoryMb() {
        String total = procField("/proc/meminfo", "MemTotal");
        return total.isEmpty() ? 0 : Long.parseLong(total.split("\\s+")[0]) / 1024;
    }

    private static String procField(String file, String name) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(name))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private String gitCommit() {
        try {
            Process head = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .directory(settings.baseDirectory().toFile()).start();
            String commit = new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                    .directory(settings.baseDirectory().toFile()).start();
            boolean dirty = !new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
            return head.waitFor() == 0 ? commit + (dirty ? "-dirty" : "") : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static void log(String format, Object... arguments) {
        System.out.printf("[bench] " + format + "%n", arguments);
    }
}
