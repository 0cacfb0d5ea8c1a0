-- The portal's application role on PostgreSQL: it reads and writes rows, nothing more.
--
--   psql -X -v ON_ERROR_STOP=1 -v owner=portal_owner -v app=portal_app \
--        -v app_password='...' -d portal -f scripts/database-roles.sql
--
-- Run it as a superuser (or the owner, with CREATEROLE), once, in the portal's database.
-- ``owner`` is the role that owns the tables: it runs `manage.py migrate` (and
-- createcachetable), so it makes every table, trigger and function. ``app`` is the role
-- the portal connects as (DATABASE_URL of the web server, the worker and the cron jobs).
-- Not owning the tables, the app can neither drop nor switch off the triggers that keep
-- the evidence (ALTER TABLE ... DISABLE TRIGGER, DROP TRIGGER: "must be owner"), and
-- without the TRUNCATE privilege it cannot empty a table. See docs/deployment.md,
-- "Database roles".

CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app";
GRANT USAGE ON SCHEMA public TO :"app";
-- Nobody but the owner makes objects in the schema (the default since PostgreSQL 15,
-- where the database's owner owns it; before, the owner needs the grant).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";

-- The tables and sequences there are now ...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- ... and those that the owner's later migrations make.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
