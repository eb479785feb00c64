package io.leadai.pipeline.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.api.FieldProblem;
import io.leadai.pipeline.api.RefusedRequests;
import io.leadai.pipeline.api.ServletErrors;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call the API (docs/security.md): {@code /api/v1/**} and {@code /kafka/**} need an API key
 * ({@code X-API-Key}) or, when configured, an OAuth2 JWT ({@code Authorization: Bearer}); both name one
 * tenant. Everything else on the API port (the OpenAPI document) and the management port (probes,
 * metrics) is not matched here and stays open.
 */
@Configuration(proxyBeanMethods = false)
// an instance without a web server (a writer or enricher run without one) has no API to protect
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiSecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurityConfig.class);

    /**
     * A path the security firewall rejects (an encoded '%', '/' or '\\', a NUL, ...: text a second decoding
     * could turn into another path) is answered 400 with the API's error body naming {@code path}, never the
     * rejected text itself; by default it would be a bare 400 with no detail.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ObjectMapper objectMapper) {
        return (request, response, rejected) -> ServletErrors.write(response, objectMapper, 400, "bad request",
                RefusedRequests.PATH_NOT_ALLOWED);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiSecurityProperties properties, ObjectMapper objectMapper,
                                    ResourceLoader resources) throws Exception {
        ApiKeys keys = ApiKeys.from(properties);
        ApiSecurityProperties.Jwt jwt = properties.jwt();
        if (keys.isEmpty() && !jwt.enabled()) {
            log.warn("No API keys (API_KEYS, API_KEYS_FILE) and no JWT issuer (JWT_ISSUER_URI) configured: "
                    + "every request to /api/v1/** and /kafka/** is refused with 401");
        }
        var entryPoint = new ApiAuthenticationEntryPoint(objectMapper, jwt.enabled());
        AccessDeniedHandler denied = (request, response, failure) -> ServletErrors.write(response, objectMapper,
                403, "forbidden", new FieldProblem("tenant_id", "the credential may not do this"));
        // stateless: the authentication lives on the request only, and so reaches the asynchronous
        // dispatch in which Camel's answer is written
        var contextRepository = new RequestAttributeSecurityContextRepository();

        http.securityMatcher("/api/**", "/kafka/**")
                // no cookies, no sessions, no browser forms: nothing for CSRF to ride on
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(contextRepository))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> requests
                        // the request itself was authorized; these dispatches only write its answer or error
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(denied))
                .addFilterBefore(new ApiKeyFilter(keys, entryPoint, contextRepository),
                        BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new TenantScopeFilter(objectMapper), AuthorizationFilter.class);
        int writesPerSecond = properties.rateLimit().writesPerSecond();
        if (writesPerSecond > 0) {
            http.addFilterAfter(new WriteRateLimitFilter(writesPerSecond, objectMapper), TenantScopeFilter.class);
        }
        if (jwt.enabled()) {
            JwtDecoder decoder = jwtDecoder(jwt, resources);
            http.oauth2ResourceServer(server -> server
                    .jwt(token -> token.decoder(decoder).jwtAuthenticationConverter(
                            decoded -> tenantAuthentication(decoded, jwt.tenantClaim())))
                    .authenticationEntryPoint(entryPoint)
                    .accessDeniedHandler(denied));
        }
        return http.build();
    }

    /**
     * Verifies signature, expiry, issuer and audience. The keys come from the JWK set URI, else a public key
     * file, else the issuer's OpenID discovery document (read at the first token, so the app starts while
     * the issuer is away).
     */
    static JwtDecoder jwtDecoder(ApiSecurityProperties.Jwt jwt, ResourceLoader resources) {
        if (!ApiSecurityProperties.hasText(jwt.issuerUri()) || !ApiSecurityProperties.hasText(jwt.audience())) {
            throw new IllegalStateException("JWT authentication needs both JWT_ISSUER_URI (the expected iss) and "
                    + "JWT_AUDIENCE (the expected aud): tokens of other issuers or for other services must be refused");
        }
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(jwt.issuerUri()),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audience -> audience != null && audience.contains(jwt.audience())));
        if (ApiSecurityProperties.hasText(jwt.jwkSetUri())) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
            decoder.setJwtValidator(validator);
            return decoder;
        }
        if (ApiSecurityProperties.hasText(jwt.publicKeyLocation())) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(publicKey(jwt.publicKeyLocation(), resources))
                    .build();
            decoder.setJwtValidator(validator);
            return decoder;
        }
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(jwt.issuerUri()).build();
            decoder.setJwtValidator(validator);
            return decoder;
        });
    }

    private static RSAPublicKey publicKey(String location, ResourceLoader resources) {
        try (InputStream pem = resources.getResource(location).getInputStream()) {
            return RsaKeyConverters.x509().convert(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JWT_PUBLIC_KEY_LOCATION " + location, e);
        }
    }

    /** The token's tenant claim, which must be a valid tenant id; a token without one is refused (401). */
    static TenantAuthentication tenantAuthentication(Jwt jwt, String claim) {
        Object tenant = jwt.getClaims().get(claim);
        if (!(tenant instanceof String id) || !TenantIds.isValid(id)) {
            throw new InvalidBearerTokenException("the token has no valid " + claim + " claim");
        }
        return new TenantAuthentication(id, "jwt", jwt);
    }
}
