package io.leadai.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void quantileOverARateReadsTheBucketSeries() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (routeId, le) "
                + "(rate(camel_route_policy_seconds_bucket{application=\"$application\", routeId=~\"a|b\"}"
                + "[$__rate_interval])))"))
                .containsExactly("camel_route_policy_seconds_bucket");
    }

    @Test
    void everyOperandOfABinaryExpressionIsRead() {
        assertThat(PromQl.metricNames("sum by (x) (rate(a_sum[5m])) / ignoring(le) sum(rate(a_count[5m] offset 1h))"
                + " and on(group) b_records > 0 unless c or vector(1) * 60"))
                .containsExactly("a_count", "a_sum", "b_records", "c");
    }

    @Test
    void labelNamesValuesNumbersAndDurationsAreNotMetrics() {
        assertThat(PromQl.metricNames("max by (group) (lag_records{group=\"x_total\"}) > bool 1e3"))
                .containsExactly("lag_records");
        assertThat(PromQl.metricNames("label_replace(up{job=\"a\"}, \"dst\", \"$1\", \"src\", \"(.*)\")"))
                .containsExactly("up");
    }

    @Test
    void grafanaLabelValuesReadsItsSelectorOnly() {
        assertThat(PromQl.metricNames("label_values(camel_exchanges_total{application=\"$application\"}, instance)"))
                .containsExactly("camel_exchanges_total");
        assertThat(PromQl.metricNames("label_values(instance)")).isEmpty();
    }
}
