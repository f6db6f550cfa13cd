-- Signing keys are rotated: a retired key signs nothing new but stays
-- published, so what it signed still verifies. The key that signs is the
-- oldest one not retired.
ALTER TABLE signing_keys ADD COLUMN retired_at BIGINT;
