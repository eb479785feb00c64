package io.leadai.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchCommitsTest {

    private static final TopicPartition CREATED_0 = new TopicPartition("lead.created", 0);
    private static final TopicPartition CREATED_1 = new TopicPartition("lead.created", 1);
    private static final TopicPartition MESSAGE_0 = new TopicPartition("lead.message", 0);

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
        for (long offset : new long[] {12, 10, 11, 14, 13}) {
            batch.add(record("lead.created", 0, offset));
        }
        batch.add(record("lead.created", 1, 7));
        batch.add(record("lead.message", 0, 3));
        return batch;
    }

    private static boolean isCreated0(Exchange record, Set<Long> offsets) {
        return record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class) == 0
                && "lead.created".equals(record.getMessage().getHeader(KafkaConstants.TOPIC))
                && offsets.contains(record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class));
    }

    private static NavigableSet<Long> offsets(long... offsets) {
        return LongStream.of(offsets).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aBatchThatFinishedCommitsPastItsLastRecordOnEveryPartition() {
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> true);

        assertThat(outcome.incomplete()).isFalse();
        assertThat(outcome.partitions().get(CREATED_0).merge(null).offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(15, ""));
        assertThat(outcome.partitions().get(CREATED_1).merge(null).offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(8, ""));
        assertThat(outcome.partitions().get(MESSAGE_0).merge(null).offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(4, ""));
    }

    @Test
    void anUnfinishedRecordHoldsItsPartitionAtItsOffsetAndTheRecordsDoneBehindItAreRemembered() {
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> !isCreated0(record, Set.of(12L, 14L)));

        assertThat(outcome.incomplete()).isTrue();
        // 10 and 11 are done; 12 is not, so the commit stays at 12; 13 is done behind it, 14 is not
        SettledAhead created0 = outcome.partitions().get(CREATED_0).merge(null);
        assertThat(created0.offset()).isEqualTo(12);
        assertThat(created0.offsets()).containsExactly(13L);
        assertThat(created0.offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(12, "settled-ahead:1"));
        assertThat(outcome.partitions().get(CREATED_1).merge(null).offset()).isEqualTo(8);
        assertThat(outcome.partitions().get(MESSAGE_0).merge(null).offset()).isEqualTo(4);
    }

    @Test
    void aFailedBatchCommitsNothing() {
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> false);

        assertThat(outcome.incomplete()).isTrue();
        assertThat(outcome.partitions().values()).allSatisfy(partition -> assertThat(partition.merge(SettledAhead.of(15, offsets(20)))).isNull());
    }

    @Test
    void aFirstRecordStillUnfinishedIsCommittedAgainToRememberWhatFinishedBehindIt() {
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> !isCreated0(record, Set.of(10L)));

        SettledAhead created0 = outcome.partitions().get(CREATED_0).merge(null);
        assertThat(created0.offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(10, "settled-ahead:1-4"));
    }

    @Test
    void whatEarlierPassesSettledIsKeptAndTheCommitMovesAcrossItWhereItIsNext() {
        // a pass before settled 16, 17 and 20 behind an unfinished 15; now 10 to 14 are done
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> true);
        SettledAhead created0 = outcome.partitions().get(CREATED_0).merge(SettledAhead.of(12, offsets(16, 17, 20)));
        assertThat(created0.offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(15, "settled-ahead:1-2,5"));

        // and once 15 is done too, the commit passes 16 and 17 and remembers only 20
        List<Exchange> next = List.of(record("lead.created", 0, 15));
        SettledAhead after = BatchCommits.Outcome.of(next, record -> true).partitions().get(CREATED_0)
                .merge(created0);
        assertThat(after.offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(18, "settled-ahead:2"));
        assertThat(SettledAhead.read(after.offsetAndMetadata()).offsets()).containsExactly(20L);
    }

    @Test
    void aBatchThatACommitHasPassedAlreadyDoesNotMoveItBack() {
        // an earlier batch's commit walked past 10 to 14 over records settled ahead; then their own batch ends
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> true);
        SettledAhead created0 = outcome.partitions().get(CREATED_0).merge(SettledAhead.of(20, offsets(22)));
        assertThat(created0.offsetAndMetadata()).isEqualTo(new OffsetAndMetadata(20, "settled-ahead:2"));
    }

    @Test
    void aBatchBehindAnUnfinishedRecordOfAnEarlierBatchSettlesAheadAndMovesNothing() {
        // batches in flight at once: an earlier one left 8 unfinished, this one finished 10 to 14
        BatchCommits.Outcome outcome = BatchCommits.Outcome.of(batch(), record -> !isCreated0(record, Set.of(13L)));
        SettledAhead created0 = outcome.partitions().get(CREATED_0).behind(8).merge(SettledAhead.of(8, offsets(9)));
        assertThat(created0.offset()).isEqualTo(8);
        assertThat(created0.offsets()).containsExactly(9L, 10L, 11L, 12L, 14L);
    }

    @Test
    void theMetadataReadsBackAsTheOffsetsItWasMadeOf() {
        SettledAhead written = SettledAhead.of(100, offsets(101, 102, 103, 107, 110, 111));
        assertThat(written.metadata()).isEqualTo("settled-ahead:1-3,7,10-11");
        assertThat(SettledAhead.read(written.offsetAndMetadata()).offsets()).containsExactly(101L, 102L, 103L, 107L, 110L, 111L);
        // offsets at or below the commit are not remembered: the commit covers them
        assertThat(SettledAhead.of(100, offsets(99, 100, 104)).metadata()).isEqualTo("settled-ahead:4");
    }

    @Test
    void aRecordHasItsOutcomeWhenTheCommitHasPassedItOrTheMetadataNamesIt() {
        SettledAhead settled = SettledAhead.of(100, offsets(103));
        assertThat(settled.covers(99)).isTrue();
        assertThat(settled.covers(100)).isFalse();
        assertThat(settled.covers(103)).isTrue();
        assertThat(settled.covers(104)).isFalse();
    }

    @Test
    void tooManyOffsetsForTheMetadataKeepTheFirstOnesAndTheRestIsWorkedOnAgain() {
        NavigableSet<Long> every3rd = LongStream.range(1, 20_000).filter(o -> o % 3 == 0).boxed()
                .collect(Collectors.toCollection(TreeSet::new));
        SettledAhead written = SettledAhead.of(0, every3rd);

        assertThat(written.metadata().length()).isLessThanOrEqualTo(SettledAhead.MAX_METADATA);
        assertThat(written.offsets()).isNotEmpty().isEqualTo(every3rd.headSet(written.offsets().last(), true));
        assertThat(SettledAhead.read(written.offsetAndMetadata()).offsets()).isEqualTo(written.offsets());
    }

    @Test
    void metadataOfAnotherFormMeansNothingSettled() {
        for (String metadata : new String[] {"", "written by another tool", "settled-ahead:", "settled-ahead:0",
                "settled-ahead:5-2", "settled-ahead:x", "settled-ahead:1-99999999999"}) {
            assertThat(SettledAhead.read(new OffsetAndMetadata(10, metadata)).offsets()).as(metadata).isEmpty();
        }
    }

    @Test
    void recordsAreStampedAsCamelTakesThemAndARouteThatDoesNotStampThemFails() {
        BatchCommits commits = new BatchCommits("route", Duration.ofSeconds(1), () -> true);
        Exchange stamped = record("lead.created", 0, 1);
        commits.newInstance(new KafkaManualCommitFactory.CamelExchangePayload(stamped, null, "thread", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(CREATED_0, 1, 1000), null);

        assertThat(commits.current(List.of(stamped))).containsExactly(stamped);
        assertThatThrownBy(() -> commits.current(List.of(stamped, record("lead.created", 0, 2))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kafkaManualCommitFactory");
    }

    @Test
    void withNothingSettledAheadTheBatchIsWorkedOnWhole() {
        BatchCommits commits = new BatchCommits("route", Duration.ofSeconds(1), () -> true);
        List<Exchange> batch = batch();
        assertThat(commits.notYetSettled(batch)).containsExactlyElementsOf(batch);
    }
}
