-- The first statement of the pipeline's cross-tenant transactions (relay, purge, writers): SET LOCAL ROLE to the
-- pipeline role, whose policies (V3) cover exactly those statements; it ends with the transaction.
SELECT set_config('role', :#${properties:app.database.pipeline-role}, true)
