package io.leadai.pipeline.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The per-tenant API keys, known only by their SHA-256 hashes. A plain (unsalted, fast) hash is enough
 * here because the keys are random and long (at least 128 bits, docs/security.md): nobody can guess a
 * key from its hash, and a slow password hash would cost CPU on every request for no gain. Rotation is
 * a second entry for the same tenant, then removing the old one.
 */
public final class ApiKeys {

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** From {@code tenant:sha256-hex} lines; blank lines and lines starting with # are skipped. */
    public static ApiKeys parse(Stream<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        lines.map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
            int colon = line.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(source + ": an API key entry must be tenant:sha256-hex");
            }
            String tenant = line.substring(0, colon).trim();
            String hash = line.substring(colon + 1).trim().toLowerCase(java.util.Locale.ROOT);
            if (!TenantIds.isValid(tenant)) {
                throw new IllegalArgumentException(source + ": '" + tenant + "' is not a valid tenant id");
            }
            if (!hash.matches("[0-9a-f]{64}")) {
                // never echo the value: it might be a key pasted by mistake
                throw new IllegalArgumentException(source + ": the hash of tenant '" + tenant
                        + "' is not 64 hex digits (SHA-256); see docs/security.md");
            }
            entries.add(new Entry(tenant, HexFormat.of().parseHex(hash)));
        });
        return new ApiKeys(entries);
    }

    /** The configured keys: {@code app.security.api-keys} and the lines of {@code app.security.api-keys-file}. */
    public static ApiKeys from(ApiSecurityProperties properties) {
        List<String> lines = new ArrayList<>(properties.apiKeys());
        if (ApiSecurityProperties.hasText(properties.apiKeysFile())) {
            try {
                lines.addAll(Files.readAllLines(Path.of(properties.apiKeysFile().trim()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read API_KEYS_FILE " + properties.apiKeysFile(), e);
            }
        }
        return parse(lines.stream(), "API keys");
    }

    /** The tenant whose key this is. Every entry is compared, in constant time, whatever matches. */
    public Optional<String> tenantOf(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        String tenant = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented) && tenant == null) {
                tenant = entry.tenant();
            }
        }
        return Optional.ofNullable(tenant);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The lower-case hex SHA-256 of a key's UTF-8 bytes: what {@code API_KEYS} holds. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private record Entry(String tenant, byte[] hash) {
    }
}
