-- A trace of every call (issue 15): what the caller heard and keyed, in order, with timings, as one jsonb document
-- beside the call's audit row; never a keyed password digit (a password entry is only its shape). Kept for
-- IVR_TRACE_RETENTION (default 30 days), then deleted by the server; the audit row stays. Described in docs/schema.md.
CREATE TABLE call_trace (
    call_id    text        PRIMARY KEY REFERENCES call_audit (call_id) ON DELETE CASCADE,
    -- The audit row's started_at, copied so that the clean-up finds old traces by this index alone.
    started_at timestamptz NOT NULL,
    trace      jsonb       NOT NULL CONSTRAINT call_trace_events CHECK (jsonb_typeof(trace -> 'events') = 'array')
);

CREATE INDEX call_trace_started_at ON call_trace (started_at);
