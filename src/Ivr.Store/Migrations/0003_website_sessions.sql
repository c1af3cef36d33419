-- Issue 13: website sessions the server can end, and the website's Data Protection key ring, shared by every
-- instance and every restart. Described in docs/schema.md.

-- Every website session carries its credential's stamp, and a session whose stamp is no longer the credential's
-- has ended. A new temporary password, a password change, a unit change and a logout write a new stamp; a
-- credential revoked by the directory import takes its stamp with it. Each existing row gets a stamp of its own
-- (a volatile default rewrites the table once, under its lock).
ALTER TABLE credentials ADD COLUMN session_stamp uuid NOT NULL DEFAULT gen_random_uuid();

-- The key ring of ASP.NET Core Data Protection (the session and antiforgery cookies are protected with it): one
-- XML element per key or revocation, as the website's IXmlRepository stores them. A key's secret is encrypted by
-- the website with the key ring key of its environment (IVR_WEB__KEY_RING_KEY), which never enters this database:
-- the check refuses a key whose secret is not an <encryptedSecret> element.
CREATE TABLE website_key_ring (
    element_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL CONSTRAINT website_key_ring_friendly_name CHECK (length(friendly_name) BETWEEN 1 AND 200),
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT website_key_ring_secret_encrypted CHECK (left(xml, 5) <> '<key ' OR strpos(xml, '<encryptedSecret') > 0)
);
