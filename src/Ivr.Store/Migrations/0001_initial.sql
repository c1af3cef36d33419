-- The credential store shared by the IVR and the settings website (SPEC §4); described in docs/schema.md.
-- Phone numbers are national format: 0 then 9 or 10 digits, no hyphens (SPEC §2 step 1).

CREATE TABLE contracts (
    contract_id text        PRIMARY KEY CONSTRAINT contracts_contract_id_format CHECK (contract_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    main_number text        NOT NULL,
    -- A constant, so that the foreign key below can say that the main number's row has kind 'main'.
    main_kind   text        NOT NULL GENERATED ALWAYS AS ('main') STORED,
    active      boolean     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contract_numbers (
    phone_number text        PRIMARY KEY CONSTRAINT contract_numbers_phone_number_format CHECK (phone_number ~ '^0[0-9]{9,10}$'),
    contract_id  text        NOT NULL REFERENCES contracts (contract_id),
    kind         text        NOT NULL CONSTRAINT contract_numbers_kind CHECK (kind IN ('main', 'additional')),
    subscribed   boolean     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contract_numbers_number_of_contract UNIQUE (phone_number, contract_id),
    CONSTRAINT contract_numbers_number_of_contract_kind UNIQUE (phone_number, contract_id, kind)
);

CREATE INDEX contract_numbers_contract_id ON contract_numbers (contract_id);

-- At most one main number per contract; the foreign key below makes it exactly one.
CREATE UNIQUE INDEX contract_numbers_one_main_per_contract ON contract_numbers (contract_id) WHERE kind = 'main';

-- Deferred: an import inserts a contract before its numbers, in one transaction.
ALTER TABLE contracts ADD CONSTRAINT contracts_main_number_is_main_of_contract
    FOREIGN KEY (main_number, contract_id, main_kind) REFERENCES contract_numbers (phone_number, contract_id, kind)
    DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE credentials (
    login_id                          text        PRIMARY KEY,
    contract_id                       text        NOT NULL,
    unit                              text        NOT NULL CONSTRAINT credentials_unit CHECK (unit IN ('line', 'number', 'admin-user')),
    temporary_password_hash           text        CONSTRAINT credentials_temporary_password_hash_format CHECK (temporary_password_hash ~ '^\$[a-z0-9-]+\$'),
    temporary_password_set_at         timestamptz,
    temporary_password_set_by_call    text,
    temporary_password_invalidated_at timestamptz,
    password_hash                     text        CONSTRAINT credentials_password_hash_format CHECK (password_hash ~ '^\$[a-z0-9-]+\$'),
    password_changed_at               timestamptz,
    failed_attempts                   integer     NOT NULL DEFAULT 0 CONSTRAINT credentials_failed_attempts CHECK (failed_attempts >= 0),
    locked_at                         timestamptz,
    version                           bigint      NOT NULL DEFAULT 1 CONSTRAINT credentials_version CHECK (version >= 1),
    created_at                        timestamptz NOT NULL,
    updated_at                        timestamptz NOT NULL,
    -- A temporary password replaces the password until the subscriber chooses a new one: exactly one secret.
    CONSTRAINT credentials_one_secret CHECK (num_nonnulls(temporary_password_hash, password_hash) = 1),
    CONSTRAINT credentials_temporary_password_set_at CHECK ((temporary_password_hash IS NULL) = (temporary_password_set_at IS NULL)),
    CONSTRAINT credentials_temporary_password_invalidated_at CHECK (temporary_password_invalidated_at IS NULL OR temporary_password_hash IS NOT NULL),
    CONSTRAINT credentials_password_changed_at CHECK ((password_hash IS NULL) = (password_changed_at IS NULL)),
    -- The identity rule as a schema fact (SPEC §3): a credential belongs to the contract its number belongs to.
    -- Deferred, so that an import may move a number and revoke its credential in one transaction.
    CONSTRAINT credentials_login_is_number_of_contract
        FOREIGN KEY (login_id, contract_id) REFERENCES contract_numbers (phone_number, contract_id)
        DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX credentials_contract_id ON credentials (contract_id);

CREATE TABLE call_audit (
    call_id       text        PRIMARY KEY CONSTRAINT call_audit_call_id CHECK (length(call_id) BETWEEN 1 AND 150),
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz NOT NULL,
    caller_number text,
    unit          text        CONSTRAINT call_audit_unit CHECK (unit IN ('line', 'number', 'admin-user')),
    target_number text,
    outcome       text        NOT NULL CONSTRAINT call_audit_outcome CHECK (outcome IN (
                      'completed', 'too-many-errors', 'caller-hung-up', 'not-contracted', 'caller-id-required', 'system-error')),
    step_reached  text        NOT NULL,
    -- The order rows were written in, for `ivr audit tail`.
    seq           bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT call_audit_seq UNIQUE
);

CREATE INDEX call_audit_caller_number ON call_audit (caller_number, started_at);

CREATE TABLE website_login_audit (
    attempt_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempted_at   timestamptz NOT NULL,
    -- The login tried when it has the shape of a phone number, else NULL: a password typed into the
    -- login field must not end up here.
    login_id       text        CONSTRAINT website_login_audit_login_id_format CHECK (login_id ~ '^0[0-9]{9,10}$'),
    client_address text        CONSTRAINT website_login_audit_client_address CHECK (length(client_address) <= 64),
    action         text        NOT NULL,
    result         text        NOT NULL,
    CONSTRAINT website_login_audit_action_result CHECK (
        (action = 'login' AND result IN ('temporary-ok', 'ok', 'wrong', 'expired', 'locked', 'unknown'))
        OR (action = 'change-password' AND result IN ('changed', 'wrong', 'temporary-password-expired', 'locked', 'unknown')))
);

CREATE INDEX website_login_audit_login_id ON website_login_audit (login_id, attempted_at);
