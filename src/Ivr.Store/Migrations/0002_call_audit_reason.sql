-- Why a call ended as it did, where the outcome alone does not say (issue 12): the identity rule's refusal of a
-- commit (`target-not-in-contract`, …) for not-contracted, or the cause of a system-error (`database-unavailable`,
-- `server-stopping`, …). In the domain's words; described in docs/schema.md.
ALTER TABLE call_audit
    ADD COLUMN reason text CONSTRAINT call_audit_reason_word CHECK (reason ~ '^[a-z]+(-[a-z]+)*$' AND length(reason) <= 64);
