package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Credentials for the API in tests. The application under test trusts JWTs of a test issuer whose RSA key
 * pair exists only in this JVM (its public key in a temporary PEM file, {@code JWT_PUBLIC_KEY_LOCATION});
 * {@link ApiClient} signs a token for whatever tenant a request names. So any tenant a test makes up can
 * call the API, and only with a token of its own.
 *
 * <p>A Spring test context gets this trust from {@link #registerIn} ({@link PipelineIntegrationTest} does it);
 * a packaged-jar process from {@link #environment()} ({@link ApplicationProcess} adds it).
 */
public final class TestCredentials {

    public static final String ISSUER = "https://issuer.lead-ai-pipeline.test";
    public static final String AUDIENCE = "lead-ai-pipeline";
    /** The tenant of requests that name none (e.g. {@code /kafka/test}, {@code /kafka/health}). */
    public static final String DEFAULT_TENANT = "it-tenant";
    /** High enough that no test other than the rate limit's own meets the limit. */
    static final int WRITES_PER_SECOND = 100_000;

    private static final KeyPair KEYS = generateRsaKeys();
    private static final Path PUBLIC_KEY_FILE = writePublicKey((RSAPublicKey) KEYS.getPublic());
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    /** The properties behind {@link #environment()}'s variables (application.yaml). */
    private static final Map<String, String> PROPERTIES = Map.of("JWT_ISSUER_URI", "app.security.jwt.issuer-uri",
            "JWT_AUDIENCE", "app.security.jwt.audience",
            "JWT_PUBLIC_KEY_LOCATION", "app.security.jwt.public-key-location",
            "RATE_LIMIT_WRITES_PER_SECOND", "app.security.rate-limit.writes-per-second");

    private TestCredentials() {
    }

    /** The application trusts the test issuer's tokens; the rate limit is out of the way. */
    public static void registerIn(DynamicPropertyRegistry registry) {
        environment().forEach((name, value) -> registry.add(PROPERTIES.get(name), () -> value));
    }

    /** The same as environment variables, for the packaged jar. */
    public static Map<String, String> environment() {
        return Map.of("JWT_ISSUER_URI", ISSUER, "JWT_AUDIENCE", AUDIENCE,
                "JWT_PUBLIC_KEY_LOCATION", "file:" + PUBLIC_KEY_FILE,
                "RATE_LIMIT_WRITES_PER_SECOND", Integer.toString(WRITES_PER_SECOND));
    }

    /** A valid bearer token of the tenant, for longer than any test run (one per tenant and JVM). */
    public static String token(String tenant) {
        return TOKENS.computeIfAbsent(tenant, t -> sign(claims(t).build(), (RSAPrivateKey) KEYS.getPrivate()));
    }

    /** The claims of a valid token of the tenant, to be changed by a test that wants an invalid one. */
    public static JWTClaimsSet.Builder claims(String tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("test-client")
                .claim("tenant_id", tenant)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(12))));
    }

    /** The claims signed with RS256 by this key. */
    public static String sign(JWTClaimsSet claims, RSAPrivateKey key) {
        return sign(claims, key, null);
    }

    /** The claims signed with RS256 by this key, the header naming the key id (for a JWK set). */
    public static String sign(JWTClaimsSet claims, RSAPrivateKey key, String keyId) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test issuer's private key, to sign tokens it would issue. */
    public static RSAPrivateKey issuerKey() {
        return (RSAPrivateKey) KEYS.getPrivate();
    }

    /** A fresh RSA key pair (2048 bits). */
    public static KeyPair generateRsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePublicKey(RSAPublicKey key) {
        try {
            Path file = Files.createTempFile("lead-ai-pipeline-test-issuer", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
