package io.leadai.pipeline.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrateOnlyTest {

    @Test
    void theApplicationRunsUnlessAskedToMigrateOnly() {
        assertThat(MigrateOnly.requested()).isFalse();
        assertThat(MigrateOnly.requested("--app.migrate-only=true")).isTrue();
        assertThat(MigrateOnly.requested("--app.migrate-only=false")).isFalse();
    }
}
