import Logging
import PostgresNIO

/// The PostgreSQL schema as migrations, frozen once shipped like the SQLite ones
/// (a change is a new migration). The tables and columns are those of the SQLite
/// schema, so `bevaka migrate-store` copies rows as they are: instants in
/// milliseconds since 1970 (bigint), JSON as text (its bytes are hashed into the
/// history chain, so they are kept exactly), decimals as text (no öre lost).
///
/// Several daemons may start at once on one database: migrations run under a
/// transaction-scoped advisory lock, so one node migrates and the others wait and
/// then find the work done.
enum PostgresSchema {
    /// The advisory lock key the migrations hold ("bevaka" in ASCII).
    static let migrationLock: Int64 = 0x62_65_76_61_6b_61

    /// Not shipped yet: v1 is still being put together, one part per role (cases here, the
    /// others in PostgresSchema+*.swift). Frozen from the first release that has it.
    static let migrations: [(name: String, sql: [String])] = [
        ("v1", caseTables + deliveryTables + accessTables + calendarTables + registerTables),
    ]

    /// Cases, their history, timers, outbox, ledger, links, idempotency keys and snapshots.
    static let caseTables: [String] = [
        """
        CREATE TABLE cases (
            id text PRIMARY KEY,
            workflow text NOT NULL,
            workflow_version integer NOT NULL CHECK (workflow_version >= 1),
            state text NOT NULL,
            state_entered_at bigint NOT NULL,
            state_entry integer NOT NULL CHECK (state_entry >= 1),
            owner text NOT NULL CHECK (owner <> ''),
            fields text NOT NULL CHECK (fields::jsonb IS NOT NULL),
            deadlines text NOT NULL CHECK (deadlines::jsonb IS NOT NULL),
            accruals text NOT NULL CHECK (accruals::jsonb IS NOT NULL),
            checklists text NOT NULL DEFAULT '[]' CHECK (checklists::jsonb IS NOT NULL),
            version integer NOT NULL CHECK (version >= 1),
            is_final boolean NOT NULL,
            next_due_at bigint,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            people text NOT NULL DEFAULT '{}' CHECK (people::jsonb IS NOT NULL),
            unit_id text,
            contract_id text,
            -- The case's place in the register, kept from its unit and contract (PostgresStore+Register).
            provider_id text,
            board text,
            area text
        )
        """,
        "CREATE INDEX cases_by_workflow_state ON cases (workflow, state, created_at)",
        "CREATE INDEX cases_by_owner ON cases (owner, created_at)",
        "CREATE INDEX cases_by_next_due ON cases (next_due_at) WHERE next_due_at IS NOT NULL",
        "CREATE INDEX cases_by_unit ON cases (unit_id, created_at, id) WHERE unit_id IS NOT NULL",
        "CREATE INDEX cases_by_unit_due ON cases (unit_id, coalesce(next_due_at, 9223372036854775807), id) WHERE unit_id IS NOT NULL",
        "CREATE INDEX cases_by_contract ON cases (contract_id, created_at, id) WHERE contract_id IS NOT NULL",
        """
        CREATE INDEX cases_by_contract_due ON cases (contract_id, coalesce(next_due_at, 9223372036854775807), id)
            WHERE contract_id IS NOT NULL
        """,
        "CREATE INDEX cases_by_provider ON cases (provider_id, created_at, id) WHERE provider_id IS NOT NULL",
        """
        CREATE INDEX cases_by_provider_due ON cases (provider_id, coalesce(next_due_at, 9223372036854775807), id)
            WHERE provider_id IS NOT NULL
        """,
        "CREATE INDEX cases_by_board ON cases (board, created_at, id) WHERE board IS NOT NULL",
        "CREATE INDEX cases_by_board_due ON cases (board, coalesce(next_due_at, 9223372036854775807), id) WHERE board IS NOT NULL",
        "CREATE INDEX cases_by_area ON cases (area, created_at, id) WHERE area IS NOT NULL",
        "CREATE INDEX cases_by_due ON cases (coalesce(next_due_at, 9223372036854775807), id)",
        // What lists search by: field values (case_terms), what falls on each role (case_tasks), who a case is for (case_parties).
        """
        CREATE TABLE case_terms (
            name text NOT NULL,
            value text NOT NULL,
            case_id text NOT NULL REFERENCES cases (id),
            PRIMARY KEY (name, value, case_id)
        )
        """,
        "CREATE INDEX case_terms_by_case ON case_terms (case_id)",
        """
        CREATE TABLE case_tasks (
            role text NOT NULL,
            due_at bigint NOT NULL,
            case_id text NOT NULL REFERENCES cases (id),
            item text NOT NULL,
            PRIMARY KEY (role, due_at, case_id, item)
        )
        """,
        "CREATE INDEX case_tasks_by_case ON case_tasks (case_id)",
        """
        CREATE TABLE case_parties (
            who text NOT NULL,
            case_id text NOT NULL REFERENCES cases (id),
            PRIMARY KEY (who, case_id)
        )
        """,
        "CREATE INDEX case_parties_by_case ON case_parties (case_id)",
        """
        CREATE TABLE history (
            id bigserial PRIMARY KEY,
            case_id text NOT NULL REFERENCES cases (id),
            seq integer NOT NULL CHECK (seq >= 1),
            at bigint NOT NULL,
            actor text NOT NULL,
            role text NOT NULL,
            event text NOT NULL,
            from_state text,
            to_state text NOT NULL,
            payload text NOT NULL CHECK (payload::jsonb IS NOT NULL),
            reason text,
            notes text NOT NULL CHECK (notes::jsonb IS NOT NULL),
            prev_hash text NOT NULL,
            hash text NOT NULL,
            effective_at bigint,
            UNIQUE (case_id, seq)
        )
        """,
        // Append-only, whoever connects: UPDATE, DELETE and TRUNCATE are refused by the database itself.
        """
        CREATE FUNCTION bevaka_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER history_is_append_only BEFORE UPDATE OR DELETE ON history
            FOR EACH ROW EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TRIGGER history_is_never_truncated BEFORE TRUNCATE ON history
            FOR EACH STATEMENT EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TABLE timers (
            id bigserial PRIMARY KEY,
            case_id text NOT NULL REFERENCES cases (id),
            due_at bigint NOT NULL,
            deadline text NOT NULL,
            kind text NOT NULL,
            state_entry integer NOT NULL,
            deadline_due bigint NOT NULL
        )
        """,
        "CREATE INDEX timers_by_due ON timers (due_at, id)",
        "CREATE INDEX timers_by_case ON timers (case_id, deadline)",
        """
        CREATE TABLE outbox (
            id bigserial PRIMARY KEY,
            case_id text NOT NULL REFERENCES cases (id),
            history_id bigint NOT NULL REFERENCES history (id),
            created_at bigint NOT NULL,
            type text NOT NULL,
            recipients text NOT NULL CHECK (recipients::jsonb IS NOT NULL),
            webhooks text NOT NULL CHECK (webhooks::jsonb IS NOT NULL),
            template text,
            urgent boolean NOT NULL,
            deadline text,
            due_at bigint,
            event text,
            state text NOT NULL,
            data text NOT NULL CHECK (data::jsonb IS NOT NULL),
            status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'unconfigured'))
        )
        """,
        "CREATE INDEX outbox_by_status ON outbox (status, id)",
        "CREATE INDEX outbox_by_case ON outbox (case_id, id)",
        """
        CREATE TABLE workflow_versions (
            name text NOT NULL,
            version integer NOT NULL,
            source text NOT NULL,
            sha256 text NOT NULL,
            first_loaded_at bigint NOT NULL,
            PRIMARY KEY (name, version)
        )
        """,
        """
        CREATE TABLE ledger_segments (
            case_id text NOT NULL REFERENCES cases (id),
            accrual text NOT NULL,
            seq integer NOT NULL,
            from_date text NOT NULL,
            until_date text,
            rate text NOT NULL,
            quantity integer NOT NULL CHECK (quantity >= 0),
            currency text NOT NULL,
            changed_by bigint NOT NULL REFERENCES history (id),
            PRIMARY KEY (case_id, accrual, seq),
            CHECK (until_date IS NULL OR until_date >= from_date)
        )
        """,
        """
        CREATE TABLE case_links (
            case_id text NOT NULL REFERENCES cases (id),
            linked_case_id text NOT NULL REFERENCES cases (id),
            relation text NOT NULL CHECK (relation <> ''),
            created_at bigint NOT NULL,
            history_id bigint NOT NULL REFERENCES history (id),
            PRIMARY KEY (case_id, linked_case_id, relation),
            CHECK (case_id <> linked_case_id)
        )
        """,
        "CREATE INDEX case_links_by_linked ON case_links (linked_case_id)",
        """
        CREATE TABLE idempotency_keys (
            scope text NOT NULL,
            key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
            fingerprint text NOT NULL,
            status integer NOT NULL,
            body text NOT NULL,
            location text,
            created_at bigint NOT NULL,
            PRIMARY KEY (scope, key)
        )
        """,
        "CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)",
        // The case as it was before each transition a timer made, for an event registered late (as in SQLite's v9).
        """
        CREATE TABLE case_snapshots (LIKE cases INCLUDING DEFAULTS,
            first_seq integer NOT NULL, taken_at bigint NOT NULL, PRIMARY KEY (id, first_seq))
        """,
        "CREATE INDEX case_snapshots_by_age ON case_snapshots (taken_at)",
    ]

    /// Runs the migrations not yet applied, each in its own transaction, under the advisory lock.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        do {
            try await migrations(client, logger: logger)
        } catch let error as PSQLError {
            throw PostgresServerError.plain(error)
        }
    }

    private static func migrations(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withBoundedConnection { connection in
            for migration in migrations {
                try await PostgresTransaction.run(on: connection, logger: logger) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                    try await connection.query("""
                        CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                        """, logger: logger)
                    let applied = try await connection.query("SELECT 1 FROM schema_migrations WHERE name = \(migration.name)",
                                                             logger: logger)
                    for try await _ in applied { return }
                    for statement in migration.sql {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO schema_migrations (name) VALUES (\(migration.name))", logger: logger)
                    logger.info("applied PostgreSQL migration \(migration.name)")
                }
            }
        }
    }
}
