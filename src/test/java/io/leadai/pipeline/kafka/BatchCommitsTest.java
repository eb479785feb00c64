package io.leadai.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchCommitsTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    private Exchange record(String topic, int partition, long offset) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, topic);
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        return exchange;
    }

    private List<Exchange> batch() {
        List<Exchange> batch = new ArrayList<>();
        // out of order on purpose: records of a partition are judged in offset order
        for (long offset : new long[] {12, 10, 11, 13}) {
            batch.add(record("lead.created", 0, offset));
        }
        batch.add(record("lead.created", 1, 7));
        batch.add(record("lead.message", 0, 3));
        return batch;
    }

    @Test
    void aBatchThatFinishedCommitsPastItsLastRecordOnEveryPartition() {
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> true);

        assertThat(outcome.incomplete()).isFalse();
        assertThat(outcome.commits()).isEqualTo(Map.of(
                new TopicPartition("lead.created", 0), new OffsetAndMetadata(14),
                new TopicPartition("lead.created", 1), new OffsetAndMetadata(8),
                new TopicPartition("lead.message", 0), new OffsetAndMetadata(4)));
    }

    @Test
    void anUnfinishedRecordHoldsItsPartitionAtItsOffsetAndNoOther() {
        Set<Long> unfinishedOffsets = Set.of(12L);
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record ->
                !(record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class) == 0
                        && "lead.created".equals(record.getMessage().getHeader(KafkaConstants.TOPIC))
                        && unfinishedOffsets.contains(record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class))));

        assertThat(outcome.incomplete()).isTrue();
        // 10 and 11 are done; 12 is not, so 13 (done or not) waits with it
        assertThat(outcome.commits().get(new TopicPartition("lead.created", 0))).isEqualTo(new OffsetAndMetadata(12));
        assertThat(outcome.commits().get(new TopicPartition("lead.created", 1))).isEqualTo(new OffsetAndMetadata(8));
        assertThat(outcome.commits().get(new TopicPartition("lead.message", 0))).isEqualTo(new OffsetAndMetadata(4));
    }

    @Test
    void aFailedBatchCommitsNothing() {
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> false);

        assertThat(outcome.incomplete()).isTrue();
        assertThat(outcome.commits()).isEmpty();
    }
}
