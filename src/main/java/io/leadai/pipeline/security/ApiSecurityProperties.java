package io.leadai.pipeline.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code app.security.*}: who may call {@code /api/v1/**} and {@code /kafka/**} (docs/security.md).
 *
 * @param apiKeys     {@code tenant:sha256-hex} entries ({@code API_KEYS}, comma-separated)
 * @param apiKeysFile a file with one {@code tenant:sha256-hex} entry a line, e.g. a mounted Kubernetes Secret
 */
@ConfigurationProperties("app.security")
public record ApiSecurityProperties(List<String> apiKeys, String apiKeysFile, Jwt jwt, RateLimit rateLimit) {

    public ApiSecurityProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /**
     * OAuth2 JWTs in {@code Authorization: Bearer}. On when an issuer or a key source is set; then the
     * issuer and the audience are required and checked on every token.
     */
    public record Jwt(String issuerUri, String jwkSetUri, String publicKeyLocation, String audience,
                      String tenantClaim) {

        public boolean enabled() {
            return hasText(issuerUri) || hasText(jwkSetUri) || hasText(publicKeyLocation);
        }
    }

    /** Writes (POST) per tenant and second; 0 turns the limit off. */
    public record RateLimit(int writesPerSecond) {
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
