package io.leadai.pipeline.kafka;

import java.util.Map;

import io.leadai.pipeline.config.AppProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class KafkaAdminConfig {

    /** One admin client for topic provisioning and {@code /kafka/health}; it connects lazily. */
    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(AppProperties app) {
        int timeoutMs = (int) app.kafka().adminTimeout().toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafka().brokers(),
                AdminClientConfig.CLIENT_ID_CONFIG, app.kafka().clientId() + "-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                // a broker that is away should not be retried for long by a health probe
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }
}
