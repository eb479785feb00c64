-- The first statement of every API transaction: row-level security (V3) shows and accepts only this tenant's
-- rows until the transaction ends (set_config's true: SET LOCAL, never left on the pooled connection).
SELECT set_config('app.tenant_id', :#tenant_id, true)
