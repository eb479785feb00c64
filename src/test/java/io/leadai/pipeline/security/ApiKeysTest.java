package io.leadai.pipeline.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    @Test
    void hashIsTheHexSha256OfTheKeysUtf8Bytes() {
        // printf %s abc | sha256sum
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aKeyNamesItsTenantAndNothingElseDoes() {
        ApiKeys keys = ApiKeys.parse(Stream.of("acme:" + ApiKeys.hash("key-a"),
                " globex : " + ApiKeys.hash("key-g").toUpperCase(), "acme:" + ApiKeys.hash("key-a2"), "", "# a comment"),
                "test");
        assertThat(keys.tenantOf("key-a")).contains("acme");
        assertThat(keys.tenantOf("key-a2")).as("a second key of a tenant (rotation)").contains("acme");
        assertThat(keys.tenantOf("key-g")).as("hashes in capitals, spaces around").contains("globex");
        assertThat(keys.tenantOf("key-b")).isEmpty();
        assertThat(keys.tenantOf(ApiKeys.hash("key-a"))).as("the hash is not a key").isEmpty();
        assertThat(keys.tenantOf("")).isEmpty();
    }

    @Test
    void tenantIdsWithColonsKeepThem() {
        ApiKeys keys = ApiKeys.parse(Stream.of("org:acme:" + ApiKeys.hash("k")), "test");
        assertThat(keys.tenantOf("k")).contains("org:acme");
    }

    @Test
    void badEntriesStopTheStartWithoutShowingTheValue() {
        assertThatThrownBy(() -> ApiKeys.parse(Stream.of("acme:my-secret-key"), "API_KEYS"))
                .hasMessageContaining("acme").hasMessageContaining("64 hex digits")
                .hasMessageNotContaining("my-secret-key");
        assertThatThrownBy(() -> ApiKeys.parse(Stream.of(ApiKeys.hash("k")), "API_KEYS"))
                .hasMessageContaining("tenant:sha256-hex");
        assertThatThrownBy(() -> ApiKeys.parse(Stream.of("bad tenant:" + ApiKeys.hash("k")), "API_KEYS"))
                .hasMessageContaining("not a valid tenant id");
    }

    @Test
    void keysComeFromThePropertyAndTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api-keys");
        Files.writeString(file, "# mounted from a Secret\nglobex:" + ApiKeys.hash("key-g") + "\n");
        ApiKeys keys = ApiKeys.from(new ApiSecurityProperties(List.of("acme:" + ApiKeys.hash("key-a")),
                file.toString(), null, null));
        assertThat(keys.tenantOf("key-a")).contains("acme");
        assertThat(keys.tenantOf("key-g")).contains("globex");
        assertThat(ApiKeys.from(new ApiSecurityProperties(null, "", null, null)).isEmpty()).isTrue();
    }
}
