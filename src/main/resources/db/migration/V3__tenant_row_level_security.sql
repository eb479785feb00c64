-- Tenant isolation enforced by PostgreSQL itself: row-level security, enabled and forced, on every table that
-- holds tenant data. The API's queries filter on tenant_id as well; this is the second line, for the query that
-- forgets to.
--
-- Three roles (docs/operators.md, "Database roles"), created by the operator before this migration runs:
--   * the owner: runs Flyway (spring.flyway.user, DATABASE_MIGRATION_USERNAME) and owns the tables. Never used
--     by the running application.
--   * ${app_role}: the application's login (spring.datasource.username, DATABASE_USERNAME). Not the owner, not a
--     superuser, no BYPASSRLS, so the policies below bind it. Every API transaction starts with
--     set_config('app.tenant_id', <tenant>, true) (SET LOCAL: it ends with the transaction, so a pooled
--     connection never carries one request's tenant into the next); without it the role sees no row at all.
--   * ${pipeline_role}: a NOLOGIN role for the pipeline's cross-tenant work, which no tenant setting can express:
--     the outbox relay claims the oldest rows of all tenants, the purge deletes published rows of all tenants,
--     the backlog gauge counts them, and the result and error writers store a Kafka batch that mixes tenants (an
--     ai.error record may carry no tenant at all) in one transaction. Those transactions, and only those, start
--     with set_config('role', '${pipeline_role}', true) (SET LOCAL ROLE). ${app_role} is a member of it WITHOUT
--     inheriting its privileges (NOINHERIT), so the pipeline's policies apply only inside a transaction that
--     switched on purpose, never to an API statement that forgot to set its tenant. The pipeline's policies
--     below grant exactly what those statements do: no inserts of leads, messages or outbox rows, updates only
--     of the enrichment and status columns, deletes only of published outbox rows.

-- Fail here, with the fix in the message, rather than leave a database the application cannot use or one that
-- is not isolated.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        RAISE EXCEPTION 'role "${app_role}" does not exist: create the application''s login role first (docs/operators.md, "Database roles")';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${pipeline_role}') THEN
        RAISE EXCEPTION 'role "${pipeline_role}" does not exist: CREATE ROLE "${pipeline_role}" NOLOGIN (docs/operators.md, "Database roles")';
    END IF;
    IF '${app_role}' = current_user THEN
        RAISE EXCEPTION 'the application role "${app_role}" must not be the role that runs the migrations and owns the tables';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}' AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'the application role "${app_role}" is a superuser or has BYPASSRLS: row-level security would not bind it';
    END IF;
    IF NOT pg_has_role('${app_role}', '${pipeline_role}', 'MEMBER') THEN
        RAISE EXCEPTION 'GRANT "${pipeline_role}" TO "${app_role}" is missing: the relay and the writers switch to it';
    END IF;
    IF pg_has_role('${app_role}', '${pipeline_role}', 'USAGE') THEN
        RAISE EXCEPTION 'role "${app_role}" inherits the privileges of "${pipeline_role}": ALTER ROLE "${app_role}" NOINHERIT';
    END IF;
END
$$;

-- The tenant's rows, for every role and every command: what a transaction sees and writes is the tenant it set.
-- nullif: a setting that was set and has ended reads '' rather than null.
DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['leads', 'lead_messages', 'outbox', 'ai_results', 'ai_errors'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I'
                       ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), ''''))'
                       ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), ''''))',
                       tenant_table);
    END LOOP;
END
$$;

-- What the API does, within its tenant: create leads and messages with their outbox rows, read them, reset a
-- lead's status on a replay, mark a dead letter replayed, read a /kafka/test result.
GRANT SELECT, INSERT ON leads, lead_messages, outbox TO "${app_role}";
GRANT UPDATE (status, updated_at) ON leads TO "${app_role}";
GRANT SELECT ON ai_results TO "${app_role}";
GRANT SELECT, UPDATE (replayed_at) ON ai_errors TO "${app_role}";

-- What the pipeline does, across tenants.
-- The relay: claims unpublished rows (FOR UPDATE needs UPDATE) and marks them published; the new leads among
-- them become 'enriching'. The purge: deletes published rows. The backlog gauge: counts unpublished ones.
GRANT SELECT, DELETE, UPDATE (published_at) ON outbox TO "${pipeline_role}";
CREATE POLICY pipeline_read ON outbox FOR SELECT TO "${pipeline_role}" USING (true);
CREATE POLICY pipeline_publish ON outbox FOR UPDATE TO "${pipeline_role}"
    USING (published_at IS NULL) WITH CHECK (published_at IS NOT NULL);
CREATE POLICY pipeline_purge ON outbox FOR DELETE TO "${pipeline_role}" USING (published_at IS NOT NULL);
-- The writers: a result enriches its lead or message, a dead letter marks its lead ai_failed; the relay moves a
-- lead to 'enriching'.
GRANT SELECT, UPDATE (status, intent, intent_confidence, entities, enriched_at, updated_at) ON leads
    TO "${pipeline_role}";
CREATE POLICY pipeline_read ON leads FOR SELECT TO "${pipeline_role}" USING (true);
CREATE POLICY pipeline_enrich ON leads FOR UPDATE TO "${pipeline_role}" USING (true) WITH CHECK (true);
GRANT SELECT, UPDATE (intent, intent_confidence, entities, enriched_at) ON lead_messages TO "${pipeline_role}";
CREATE POLICY pipeline_read ON lead_messages FOR SELECT TO "${pipeline_role}" USING (true);
CREATE POLICY pipeline_enrich ON lead_messages FOR UPDATE TO "${pipeline_role}" USING (true) WITH CHECK (true);
-- The writers' own rows (reading them back is what ON CONFLICT and RETURNING need).
GRANT SELECT, INSERT ON ai_results, ai_errors TO "${pipeline_role}";
CREATE POLICY pipeline_read ON ai_results FOR SELECT TO "${pipeline_role}" USING (true);
CREATE POLICY pipeline_store ON ai_results FOR INSERT TO "${pipeline_role}" WITH CHECK (true);
CREATE POLICY pipeline_read ON ai_errors FOR SELECT TO "${pipeline_role}" USING (true);
CREATE POLICY pipeline_store ON ai_errors FOR INSERT TO "${pipeline_role}" WITH CHECK (true);
