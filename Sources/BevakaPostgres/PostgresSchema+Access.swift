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

    /// Calendar feeds and the entries last published in each (as SQLite's v12 and v14): the
    /// URL's secret is the credential, and only its SHA-256 is kept.
    static let calendarTables: [String] = [
        """
        CREATE TABLE calendar_feeds (
            id text PRIMARY KEY CHECK (length(id) = 12),
            secret_sha256 text NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
            subject text CHECK (subject IS NULL OR subject <> ''),
            identifiers text NOT NULL CHECK (identifiers::jsonb IS NOT NULL),
            team text CHECK (team IS NULL OR team <> ''),
            created_by text NOT NULL CHECK (created_by <> ''),
            created_at bigint NOT NULL,
            renewed_at bigint,
            revoked_at bigint,
            CHECK ((subject IS NULL) <> (team IS NULL))
        )
        """,
        "CREATE INDEX calendar_feeds_by_subject ON calendar_feeds (subject) WHERE subject IS NOT NULL",
        "CREATE INDEX calendar_feeds_by_creator ON calendar_feeds (created_by)",
        """
        CREATE TABLE calendar_entries (
            feed_id text NOT NULL REFERENCES calendar_feeds (id) ON DELETE CASCADE,
            uid text NOT NULL,
            case_id text NOT NULL,
            starts_at bigint NOT NULL,
            sequence integer NOT NULL CHECK (sequence >= 0),
            summary text NOT NULL,
            fingerprint text NOT NULL,
            cancelled_at bigint,
            all_day boolean NOT NULL DEFAULT false,
            PRIMARY KEY (feed_id, uid)
        )
        """,
    ]
}
