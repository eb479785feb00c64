package io.leadai.pipeline.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.leadai.pipeline.config.AppProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Creates the pipeline's topics with the configured partition count when they are missing
 * ({@code app.kafka.create-topics}). Off where a platform team owns topics; never fatal: a broker
 * that is away at start-up is logged, and the relay keeps its events until Kafka is back.
 */
@Component
public class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final AppProperties app;

    public TopicProvisioner(Admin admin, AppProperties app) {
        this.admin = admin;
        this.app = app;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void createMissingTopics() {
        if (!app.kafka().createTopics()) {
            return;
        }
        long timeoutMs = app.kafka().adminTimeout().toMillis();
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = app.topics().all().stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, app.kafka().partitions(), app.kafka().replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn("Could not create topics at {}: {}", app.kafka().brokers(), e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.warn("Kafka at {} did not answer within {} ms; topics not checked", app.kafka().brokers(), timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
