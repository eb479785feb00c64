package io.leadai.pipeline.security;

import java.util.regex.Pattern;

/** What a tenant id may look like, wherever it comes from (a credential, a body, a query). */
public final class TenantIds {

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private TenantIds() {
    }

    public static boolean isValid(String tenantId) {
        return tenantId != null && TENANT_ID.matcher(tenantId).matches();
    }
}
