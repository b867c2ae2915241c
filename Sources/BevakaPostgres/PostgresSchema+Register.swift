extension PostgresSchema {
    /// The register (as SQLite's v10 and v11): boards, providers, units and their listed
    /// counts over time, contracts and their units; every change a row in register_history,
    /// and every assessment in traffic_lights (the latest per provider is the current one),
    /// both append-only. A case's unit and contract are in `cases`, with the provider, board
    /// and area kept from them.
    static let registerTables: [String] = [
        """
        CREATE TABLE boards (
            code text PRIMARY KEY CHECK (code <> ''),
            name text NOT NULL CHECK (name <> '')
        )
        """,
        """
        CREATE TABLE providers (
            id text PRIMARY KEY CHECK (id <> ''),
            name text NOT NULL CHECK (name <> ''),
            provider_group text
        )
        """,
        "CREATE INDEX providers_by_group ON providers (provider_group) WHERE provider_group IS NOT NULL",
        """
        CREATE TABLE units (
            hsa_id text PRIMARY KEY CHECK (hsa_id <> ''),
            name text NOT NULL CHECK (name <> ''),
            provider_id text NOT NULL REFERENCES providers (id)
        )
        """,
        "CREATE INDEX units_by_provider ON units (provider_id)",
        """
        CREATE TABLE unit_listed (
            hsa_id text NOT NULL REFERENCES units (hsa_id),
            from_date text NOT NULL,
            listed bigint NOT NULL CHECK (listed >= 0),
            PRIMARY KEY (hsa_id, from_date)
        )
        """,
        """
        CREATE TABLE contracts (
            id text PRIMARY KEY CHECK (id <> ''),
            provider_id text NOT NULL REFERENCES providers (id),
            area text NOT NULL CHECK (area <> ''),
            board text NOT NULL REFERENCES boards (code),
            start_date text NOT NULL,
            end_date text,
            team text,
            CHECK (end_date IS NULL OR end_date >= start_date)
        )
        """,
        "CREATE INDEX contracts_by_provider ON contracts (provider_id)",
        "CREATE INDEX contracts_by_board_area ON contracts (board, area)",
        """
        CREATE TABLE contract_units (
            contract_id text NOT NULL REFERENCES contracts (id),
            hsa_id text NOT NULL REFERENCES units (hsa_id),
            PRIMARY KEY (contract_id, hsa_id)
        )
        """,
        "CREATE INDEX contract_units_by_unit ON contract_units (hsa_id)",
        """
        CREATE TABLE register_history (
            id bigserial PRIMARY KEY,
            at bigint NOT NULL,
            actor text NOT NULL,
            kind text NOT NULL,
            key text NOT NULL,
            change text NOT NULL CHECK (change IN ('created', 'changed')),
            before text CHECK (before IS NULL OR before::jsonb IS NOT NULL),
            after text NOT NULL CHECK (after::jsonb IS NOT NULL)
        )
        """,
        "CREATE INDEX register_history_by_key ON register_history (kind, key, id)",
        """
        CREATE TRIGGER register_history_is_append_only BEFORE UPDATE OR DELETE ON register_history
            FOR EACH ROW EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TRIGGER register_history_is_never_truncated BEFORE TRUNCATE ON register_history
            FOR EACH STATEMENT EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TABLE traffic_lights (
            id bigserial PRIMARY KEY,
            provider_id text NOT NULL REFERENCES providers (id),
            colour text NOT NULL CHECK (colour IN ('rod', 'gul', 'gron')),
            assessed_on text NOT NULL,
            comment text NOT NULL CHECK (comment <> ''),
            actor text NOT NULL,
            at bigint NOT NULL
        )
        """,
        "CREATE INDEX traffic_lights_by_provider ON traffic_lights (provider_id, id)",
        """
        CREATE TRIGGER traffic_lights_is_append_only BEFORE UPDATE OR DELETE ON traffic_lights
            FOR EACH ROW EXECUTE FUNCTION bevaka_append_only()
        """,
        """
        CREATE TRIGGER traffic_lights_is_never_truncated BEFORE TRUNCATE ON traffic_lights
            FOR EACH STATEMENT EXECUTE FUNCTION bevaka_append_only()
        """,
        // The cases of a unit or contract, placed again when it changes, use cases_by_unit and cases_by_contract (caseTables).
    ]
}
