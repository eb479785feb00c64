package io.leadai.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.leadai.pipeline.testinfra.TestCertificates;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.springboot.KafkaComponentAutoConfiguration;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Kafka security environment variables of application.yaml, through the Camel Kafka component, as the
 * admin client gets them: what an operator sets is what Kafka applies.
 */
class KafkaClientSecurityTest {

    private static final String SCRAM_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"lead-ai-pipeline\" password=\"scram-password\";";

    private final ApplicationContextRunner app = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    KafkaComponentAutoConfiguration.class))
            .withPropertyValues("camel.main.routes-collector-enabled=false");

    /** The admin client's configuration, as Kafka reads it, for these environment variables. */
    private void withEnvironment(Map<String, String> environment, Consumer<AdminClientConfig> check) {
        withClientConfig(environment, config -> check.accept(new AdminClientConfig(config)));
    }

    private void withClientConfig(Map<String, String> environment, Consumer<Map<String, Object>> check) {
        app.withPropertyValues(environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new))
                .run(context -> {
                    Map<String, Object> config = new HashMap<>(KafkaClientSecurity.of(context.getBean(CamelContext.class)));
                    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
                    check.accept(config);
                });
    }

    /** Kafka builds its SSL and SASL machinery when a client is created: these settings must survive that. */
    private static void aClientStartsWith(Map<String, Object> config) {
        Admin admin = Admin.create(config);
        admin.close(Duration.ZERO);
    }

    @Test
    void plaintextByDefaultWithNoCredentials() {
        withEnvironment(Map.of(), config -> {
            assertThat(config.getString("security.protocol")).isEqualTo("PLAINTEXT");
            assertThat(config.getPassword("sasl.jaas.config")).isNull();
            assertThat(config.getString("ssl.truststore.location")).isNull();
            assertThat(config.getPassword("ssl.keystore.password")).isNull();
        });
    }

    @Test
    void saslSslWithScramAndATruststore() {
        withEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", SCRAM_JAAS,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-tls/ca.crt",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM"), config -> {
            assertThat(config.getString("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(config.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
            assertThat(config.getPassword("sasl.jaas.config").value()).isEqualTo(SCRAM_JAAS);
            assertThat(config.getString("ssl.truststore.location")).isEqualTo("/etc/kafka-tls/ca.crt");
            assertThat(config.getString("ssl.truststore.type")).isEqualTo("PEM");
            // a PEM truststore must come without a password, and no keystore is configured
            assertThat(config.getPassword("ssl.truststore.password")).isNull();
            assertThat(config.getString("ssl.keystore.location")).isNull();
            assertThat(config.getString("ssl.endpoint.identification.algorithm")).isEqualTo("https");
        });
    }

    @Test
    void mutualTlsWithAKeystoreWhoseKeyHasTheStorePassword() {
        withEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_KEYSTORE_LOCATION", "/etc/kafka-tls/client.p12",
                "KAFKA_SSL_KEYSTORE_PASSWORD", "keystore-password",
                "KAFKA_SSL_KEYSTORE_TYPE", "PKCS12",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-tls/truststore.p12",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "truststore-password",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"), config -> {
            assertThat(config.getString("security.protocol")).isEqualTo("SSL");
            assertThat(config.getString("ssl.keystore.location")).isEqualTo("/etc/kafka-tls/client.p12");
            assertThat(config.getPassword("ssl.keystore.password").value()).isEqualTo("keystore-password");
            assertThat(config.getPassword("ssl.key.password").value()).isEqualTo("keystore-password");
            assertThat(config.getString("ssl.keystore.type")).isEqualTo("PKCS12");
            assertThat(config.getPassword("ssl.truststore.password").value()).isEqualTo("truststore-password");
            // SASL settings belong to SASL_* protocols only
            assertThat(config.getPassword("sasl.jaas.config")).isNull();
        });
    }

    @Test
    void aKeyPasswordOfItsOwn() {
        withEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_KEYSTORE_LOCATION", "/etc/kafka-tls/client.jks",
                "KAFKA_SSL_KEYSTORE_PASSWORD", "keystore-password",
                "KAFKA_SSL_KEY_PASSWORD", "key-password"), config ->
                assertThat(config.getPassword("ssl.key.password").value()).isEqualTo("key-password"));
    }

    @Test
    void theProductionOverlaysSettingsMakeAWorkingClient(@TempDir Path dir) {
        // SASL_SSL, SCRAM, a PEM CA file and no keystore: what k8s/overlays/production sets
        Path ca = TestCertificates.pemCertificate(TestCertificates.keystore(dir.resolve("broker.p12"), "broker-pw"),
                "broker-pw", dir.resolve("ca.crt"));
        withClientConfig(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", SCRAM_JAAS,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", ca.toString()), KafkaClientSecurityTest::aClientStartsWith);
    }

    @Test
    void mutualTlsSettingsMakeAWorkingClient(@TempDir Path dir) {
        Path keystore = TestCertificates.keystore(dir.resolve("client.p12"), "client-pw");
        withClientConfig(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_KEYSTORE_TYPE", "PKCS12",
                "KAFKA_SSL_KEYSTORE_LOCATION", keystore.toString(),
                "KAFKA_SSL_KEYSTORE_PASSWORD", "client-pw"), KafkaClientSecurityTest::aClientStartsWith);
    }

    @Test
    void onlyAnEmptyEndpointAlgorithmTurnsHostNameVerificationOff() {
        withEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_ENDPOINT_ALGORITHM", ""), config ->
                assertThat(config.getString("ssl.endpoint.identification.algorithm")).isEmpty());
        // Camel leaves the setting out for "none", and Kafka's default verifies
        withEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_ENDPOINT_ALGORITHM", "none"), config ->
                assertThat(config.getString("ssl.endpoint.identification.algorithm")).isEqualTo("https"));
    }
}
