-- Leads, their messages, the transactional outbox, and the enrichment results and dead letters.
-- All timestamps are timestamptz (UTC on the wire); ids are UUIDs minted by the application.

CREATE TABLE leads (
    lead_id           uuid        PRIMARY KEY,
    tenant_id         text        NOT NULL,
    business_id       text        NOT NULL,
    source            text,
    name              text,
    email             text,
    phone             text,
    initial_message   text        NOT NULL,
    status            text        NOT NULL DEFAULT 'new'
                                  CHECK (status IN ('new', 'enriching', 'enriched', 'ai_failed')),
    intent            text,
    intent_confidence double precision,
    entities          jsonb,
    enriched_at       timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- keyset paging, newest first, with and without a status filter
CREATE INDEX leads_tenant_page_idx ON leads (tenant_id, created_at DESC, lead_id DESC);
CREATE INDEX leads_tenant_status_page_idx ON leads (tenant_id, status, created_at DESC, lead_id DESC);

CREATE TABLE lead_messages (
    message_id        uuid        PRIMARY KEY,
    lead_id           uuid        NOT NULL REFERENCES leads (lead_id),
    tenant_id         text        NOT NULL,
    business_id       text        NOT NULL,
    message_text      text        NOT NULL,
    intent            text,
    intent_confidence double precision,
    entities          jsonb,
    enriched_at       timestamptz,
    created_at        timestamptz NOT NULL
);

CREATE INDEX lead_messages_lead_idx ON lead_messages (tenant_id, lead_id, created_at DESC);

-- Events leave the API through this table: written in the same transaction as the lead or message,
-- published to Kafka by the relay route, which then sets published_at.
CREATE TABLE outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    topic        text        NOT NULL,
    message_key  text        NOT NULL,
    tenant_id    text        NOT NULL,
    -- the exact JSON text that goes to Kafka
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL,
    published_at timestamptz
);

-- the relay only ever scans unpublished rows, oldest first, per key
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_unpublished_key_idx ON outbox (message_key, id) WHERE published_at IS NULL;
-- and the purge only ever scans published ones, oldest first
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- One row per enriched source event: a redelivered event is an upsert on source_event_id, not a second row.
CREATE TABLE ai_results (
    source_event_id   uuid        PRIMARY KEY,
    result_event_id   uuid        NOT NULL,
    source_topic      text        NOT NULL,
    tenant_id         text        NOT NULL,
    business_id       text        NOT NULL,
    lead_id           uuid,
    message_id        uuid,
    text              text        NOT NULL,
    intent            text,
    intent_confidence double precision,
    entities          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    -- the whole ai.process.result body, so enrichers added later are kept without a migration
    result            jsonb       NOT NULL,
    processed_at      timestamptz NOT NULL,
    processing_ms     integer,
    stored_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ai_results_lead_idx ON ai_results (tenant_id, lead_id, processed_at DESC);

-- Dead letters read back from ai.error. The original coordinates identify a dead letter, so
-- reading ai.error twice stores it once.
CREATE TABLE ai_errors (
    error_id           uuid        PRIMARY KEY,
    tenant_id          text,
    business_id        text,
    lead_id            uuid,
    event_id           text,
    original_topic     text        NOT NULL,
    original_partition integer     NOT NULL,
    original_offset    bigint      NOT NULL,
    original_key       text,
    payload            bytea       NOT NULL,
    exception_class    text,
    cause_class        text,
    reason             text        NOT NULL,
    attempts           integer     NOT NULL DEFAULT 1,
    route_id           text,
    failed_at          timestamptz NOT NULL,
    replayed_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (original_topic, original_partition, original_offset)
);

CREATE INDEX ai_errors_tenant_idx ON ai_errors (tenant_id, created_at DESC);
