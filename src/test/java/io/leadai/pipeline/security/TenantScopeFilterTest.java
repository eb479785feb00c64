package io.leadai.pipeline.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadai.pipeline.api.ApiException;
import org.junit.jupiter.api.Test;

class TenantScopeFilterTest {

    @Test
    void queryMayNameOnlyTheCredentialsTenant() {
        assertThat(TenantScopeFilter.namesOtherTenant(null, "acme")).isFalse();
        assertThat(TenantScopeFilter.namesOtherTenant("limit=5", "acme")).isFalse();
        assertThat(TenantScopeFilter.namesOtherTenant("tenant_id=acme&limit=5", "acme")).isFalse();
        assertThat(TenantScopeFilter.namesOtherTenant("tenant%5Fid=acm%65", "acme")).as("escaped").isFalse();
        assertThat(TenantScopeFilter.namesOtherTenant("tenant_id=globex", "acme")).isTrue();
        assertThat(TenantScopeFilter.namesOtherTenant("tenant_id=acme&tenant_id=globex", "acme")).as("repeated").isTrue();
        assertThat(TenantScopeFilter.namesOtherTenant("tenant_id=", "acme")).isTrue();
        assertThat(TenantScopeFilter.namesOtherTenant("tenant_id=%zz", "acme")).as("broken escape").isTrue();
        assertThat(TenantScopeFilter.namesOtherTenant("my_tenant_id=globex", "acme")).isFalse();
    }

    @Test
    void bodyMayNameOnlyTheCredentialsTenant() {
        assertThat(AuthenticatedTenant.check("acme", null)).isEqualTo("acme");
        assertThat(AuthenticatedTenant.check("acme", "acme")).isEqualTo("acme");
        assertThatThrownBy(() -> AuthenticatedTenant.check("acme", "globex"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.body().details()).singleElement()
                            .satisfies(problem -> assertThat(problem.field()).isEqualTo("tenant_id"));
                });
    }

    @Test
    void jwtsNeedIssuerAndAudience() {
        assertThatThrownBy(() -> ApiSecurityConfig.jwtDecoder(new ApiSecurityProperties.Jwt(
                "", "https://idp.example/jwks", "", "lead-ai-pipeline", "tenant_id"), null))
                .hasMessageContaining("JWT_ISSUER_URI");
        assertThatThrownBy(() -> ApiSecurityConfig.jwtDecoder(new ApiSecurityProperties.Jwt(
                "https://idp.example", "https://idp.example/jwks", "", "", "tenant_id"), null))
                .hasMessageContaining("JWT_AUDIENCE");
    }
}
