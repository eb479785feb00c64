package io.leadai.pipeline.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The separate-process broker keeps its port and its data across a controlled stop and a SIGKILL. */
class KafkaProcessIT {

    @Test
    void recordsSurviveAStopAndAKillOnTheSamePort() throws Exception {
        try (KafkaProcess kafka = KafkaProcess.start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("restarts", 1, (short) 1))).all().get();
            }
            long firstPid = kafka.pid();
            try (TestResults producer = new TestResults(kafka.bootstrapServers())) {
                producer.send("restarts", "k", "before the stop");
            }

            kafka.stop();
            kafka.startAgain();
            try (TestResults producer = new TestResults(kafka.bootstrapServers())) {
                producer.send("restarts", "k", "before the kill");
            }
            kafka.kill();
            kafka.startAgain();

            assertThat(kafka.pid()).isNotEqualTo(firstPid);
            List<ConsumerRecord<String, String>> records = new TestKafka(kafka.bootstrapServers()).read("restarts",
                    r -> true, r -> r.size() >= 2, Duration.ofSeconds(30), Duration.ZERO);
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("before the stop", "before the kill");
        }
    }
}
