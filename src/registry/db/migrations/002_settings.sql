-- 002: registry-wide settings, e.g. {"synthetic": true} for a demo registry (every page shows a SYNTHETIC banner).
CREATE TABLE registry_settings (
  key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
