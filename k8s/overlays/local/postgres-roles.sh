#!/bin/sh
# The application's database roles (docs/operators.md, "Database roles"), for the local PostgreSQLs of this overlay
# and of docker-compose.kafka.yml: the image runs it once, on an empty data directory, as POSTGRES_USER (the
# tables' owner, a superuser here). APP_DATABASE_USERNAME and APP_DATABASE_PASSWORD are the application's login.
# The image sources this file: a failing psql stops the initialisation.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     --set app="$APP_DATABASE_USERNAME" --set password="$APP_DATABASE_PASSWORD" <<'SQL'
CREATE ROLE leadai_pipeline NOLOGIN;
CREATE ROLE :"app" LOGIN NOINHERIT PASSWORD :'password';
GRANT leadai_pipeline TO :"app";
SQL
