-- Revocable sessions: every token embeds the account's security stamp; a new stamp revokes them all.
-- Existing accounts get a random stamp each (a volatile default is evaluated per row).
ALTER TABLE {schema}.users ADD COLUMN security_stamp text NOT NULL DEFAULT gen_random_uuid()::text;

-- Unclaimed (passwordless) accounts are deleted once no token for them can still be valid.
CREATE INDEX users_unclaimed_created_at_idx ON {schema}.users (created_at) WHERE password_hash IS NULL;
