-- 001: the registry's tables. Runs unchanged on PGlite and PostgreSQL >= 15.
-- Integrity lives here (foreign keys, CHECKs, NOT NULL, triggers), not only in the application.

CREATE TABLE sites (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{2,10}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- next number for the study ID SITE-0001; bumped with UPDATE ... RETURNING so concurrent enrolments never collide
  next_record_number integer NOT NULL DEFAULT 1 CHECK (next_record_number >= 1),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  role text NOT NULL CHECK (role IN ('administrator', 'coordinator', 'monitor', 'data_manager', 'statistician')),
  disabled boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Coordinators read/write these sites; monitors read the sites assigned to them.
-- Data managers, statisticians and administrators see all sites and need no rows here.
CREATE TABLE user_sites (
  user_id integer NOT NULL REFERENCES users (id),
  site_id integer NOT NULL REFERENCES sites (id),
  PRIMARY KEY (user_id, site_id)
);

-- The cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  user_id integer NOT NULL REFERENCES users (id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Versioned study definitions. `content` is the zod-validated definition as JSON, `source` the YAML it came from.
CREATE TABLE study_definitions (
  id serial PRIMARY KEY,
  study_key text NOT NULL CHECK (study_key ~ '^[a-z][a-z0-9_-]{0,63}$'),
  version text NOT NULL CHECK (length(version) BETWEEN 1 AND 40),
  content jsonb NOT NULL,
  source text NOT NULL,
  active boolean NOT NULL DEFAULT false,
  installed_at timestamptz NOT NULL DEFAULT now(),
  installed_by integer REFERENCES users (id),
  UNIQUE (study_key, version)
);
CREATE UNIQUE INDEX study_definitions_one_active ON study_definitions (active) WHERE active;

CREATE TABLE records (
  id serial PRIMARY KEY,
  study_id text NOT NULL UNIQUE CHECK (study_id ~ '^[A-Z0-9]{2,10}-[0-9]{4,}$'),
  site_id integer NOT NULL REFERENCES sites (id),
  record_number integer NOT NULL CHECK (record_number >= 1),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer NOT NULL REFERENCES users (id),
  UNIQUE (site_id, record_number)
);
CREATE INDEX records_site ON records (site_id);

CREATE TABLE form_instances (
  id serial PRIMARY KEY,
  record_id integer NOT NULL REFERENCES records (id),
  form_id text NOT NULL CHECK (form_id ~ '^[a-z][a-z0-9_]{0,63}$'),
  instance integer NOT NULL CHECK (instance >= 1),
  "values" jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof("values") = 'object'),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  status text NOT NULL DEFAULT 'incomplete' CHECK (status IN ('incomplete', 'complete', 'verified', 'locked')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by integer NOT NULL REFERENCES users (id),
  UNIQUE (record_id, form_id, instance)
);

-- Defence in depth for two rules the services enforce: every change bumps the version by exactly one,
-- and the values of a locked form never change.
CREATE FUNCTION form_instances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version <> OLD.version + 1 THEN
    RAISE EXCEPTION 'form_instances: version must increase by one (was %, got %)', OLD.version, NEW.version;
  END IF;
  IF OLD.status = 'locked' AND NEW.status = 'locked' AND NEW."values" IS DISTINCT FROM OLD."values" THEN
    RAISE EXCEPTION 'form_instances: a locked form cannot be changed';
  END IF;
  IF NEW.record_id <> OLD.record_id OR NEW.form_id <> OLD.form_id OR NEW.instance <> OLD.instance THEN
    RAISE EXCEPTION 'form_instances: record, form and instance are fixed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER form_instances_guard BEFORE UPDATE ON form_instances FOR EACH ROW EXECUTE FUNCTION form_instances_guard();

-- E-signatures on a locked form instance: who (and their name as it was), what the signature means, when.
CREATE TABLE signatures (
  id serial PRIMARY KEY,
  form_instance_id integer NOT NULL REFERENCES form_instances (id),
  user_id integer NOT NULL REFERENCES users (id),
  signer_name text NOT NULL CHECK (length(signer_name) >= 1),
  meaning text NOT NULL CHECK (length(meaning) BETWEEN 1 AND 500),
  signed_at timestamptz NOT NULL,
  form_version integer NOT NULL CHECK (form_version >= 1),
  voided_at timestamptz,
  voided_by integer REFERENCES users (id),
  void_reason text,
  CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))
);
CREATE UNIQUE INDEX signatures_one_valid ON signatures (form_instance_id) WHERE voided_at IS NULL;

-- Queries: a thread on one field of one form instance, open -> answered -> closed (closed may be reopened).
CREATE TABLE queries (
  id serial PRIMARY KEY,
  record_id integer NOT NULL REFERENCES records (id),
  form_id text NOT NULL,
  instance integer NOT NULL CHECK (instance >= 1),
  field text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queries_record ON queries (record_id);

CREATE TABLE query_messages (
  id serial PRIMARY KEY,
  query_id integer NOT NULL REFERENCES queries (id),
  user_id integer NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('raise', 'answer', 'close', 'reopen')),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX query_messages_query ON query_messages (query_id);

-- The audit trail. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, and the privileges are
-- revoked. Each row's hash is SHA-256 over its canonical content and the previous row's hash
-- (computed by the audit service; `oncosurv registry verify` recomputes the chain).
-- No foreign keys: the log names users and records by id and by name as they were.
CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  user_id integer,
  username text,
  action text NOT NULL CHECK (action ~ '^[a-z][a-z_.]{1,63}$'),
  site_id integer,
  record_id integer,
  study_id text,
  form_id text,
  instance integer,
  field text,
  old_value jsonb,
  new_value jsonb,
  reason text,
  details jsonb,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE SEQUENCE audit_log_id_seq AS bigint OWNED BY audit_log.id;
CREATE INDEX audit_log_record ON audit_log (record_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;
