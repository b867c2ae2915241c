extension PostgresSchema {
    /// API tokens, sessions, logins under way and the access log (as SQLite's v5 and v6).
    /// Of every secret only its SHA-256 is kept, so a copy of the database opens nothing.
    static let accessTables: [String] = [
        """
        CREATE TABLE api_tokens (
            id text PRIMARY KEY CHECK (length(id) = 12),
            name text NOT NULL UNIQUE CHECK (name <> ''),
            role text NOT NULL CHECK (role <> ''),
            secret_sha256 text NOT NULL CHECK (length(secret_sha256) = 64),
            created_at bigint NOT NULL,
            expires_at bigint,
            revoked_at bigint
        )
        """,
        // Who read which case holding personal data (the patient data act's access log): only ever added to.
        """
        CREATE TABLE access_log (
            id bigserial PRIMARY KEY,
            at bigint NOT NULL,
            subject text NOT NULL,
            name text NOT NULL,
            role text NOT NULL,
            case_id text NOT NULL,
            action text NOT NULL,
            client text NOT NULL,
            personal_shown boolean NOT NULL
        )
        """,
        "CREATE INDEX access_log_case ON access_log (case_id, id)",
        "CREATE INDEX access_log_subject ON access_log (subject, id)",
        """
        CREATE TRIGGER access_log_is_append_only BEFORE UPDATE OR DELETE ON access_log
            FOR EACH ROW EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TRIGGER access_log_is_never_truncated BEFORE TRUNCATE ON access_log
            FOR EACH STATEMENT EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TABLE sessions (
            id_sha256 text PRIMARY KEY CHECK (length(id_sha256) = 64),
            subject text NOT NULL,
            name text NOT NULL,
            roles text NOT NULL,
            identifiers text NOT NULL,
            id_token text,
            csrf text NOT NULL,
            created_at bigint NOT NULL,
            last_seen_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            revoked_at bigint
        )
        """,
        "CREATE INDEX sessions_subject ON sessions (subject)",
        """
        CREATE TABLE login_requests (
            state_sha256 text PRIMARY KEY CHECK (length(state_sha256) = 64),
            nonce text NOT NULL,
            verifier text NOT NULL,
            return_to text NOT NULL,
            expires_at bigint NOT NULL
        )
        """,
    ]

    /// Calendar feeds and the entries last published in each.
    static let calendarTables: [String] = []
}
