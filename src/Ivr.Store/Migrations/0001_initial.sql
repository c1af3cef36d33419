-- The credential store, shared by the IVR (writes temporary passwords) and the settings website (logs in).
-- docs/schema.md explains every table and rule for the website team.

CREATE TABLE contracts (
    contract_id  text PRIMARY KEY CHECK (contract_id <> ''),
    main_number  text NOT NULL,
    active       boolean NOT NULL
);

CREATE TABLE contract_numbers (
    phone_number text PRIMARY KEY CHECK (phone_number ~ '^[0-9]{1,15}$'),
    contract_id  text NOT NULL REFERENCES contracts (contract_id),
    kind         text NOT NULL CHECK (kind IN ('main', 'additional')),
    subscribed   boolean NOT NULL
);
CREATE INDEX contract_numbers_contract_id ON contract_numbers (contract_id);

-- One row per login id (a phone number). Secrets are stored only as self-describing slow hashes.
CREATE TABLE credentials (
    login_id                          text PRIMARY KEY CHECK (login_id ~ '^[0-9]{1,15}$'),
    contract_id                       text NOT NULL,
    unit                              text NOT NULL CHECK (unit IN ('line', 'number', 'admin-user')),
    temporary_password_hash           text,
    temporary_password_set_at         timestamptz,
    temporary_password_invalidated_at timestamptz,
    password_hash                     text,
    password_changed_at               timestamptz,
    failed_attempts                   integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_at                         timestamptz,
    version                           bigint NOT NULL DEFAULT 1,
    created_at                        timestamptz NOT NULL,
    updated_at                        timestamptz NOT NULL,
    CHECK ((temporary_password_hash IS NULL) = (temporary_password_set_at IS NULL)),
    CHECK ((password_hash IS NULL) = (password_changed_at IS NULL))
);
CREATE INDEX credentials_contract_id ON credentials (contract_id);

-- One row per call. Never a keyed digit of a password.
CREATE TABLE call_audit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id        text NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz NOT NULL,
    caller_number  text,
    unit           text CHECK (unit IN ('line', 'number', 'admin-user')),
    target_number  text,
    outcome        text NOT NULL CHECK (outcome IN ('completed', 'too-many-errors', 'caller-hung-up', 'not-contracted', 'caller-id-required', 'system-error')),
    step_reached   text NOT NULL
);
CREATE INDEX call_audit_call_id ON call_audit (call_id);

-- One row per website login attempt. Never the password.
CREATE TABLE login_audit (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login_id        text NOT NULL,
    attempted_at    timestamptz NOT NULL,
    client_address  text,
    result          text NOT NULL
);
CREATE INDEX login_audit_login_id ON login_audit (login_id);
