extension PostgresSchema {
    /// Deliveries (one per message to one endpoint or mailbox), their attempts and the
    /// endpoints switched off, as in SQLite (v2, v4).
    ///
    /// One difference: SQLite plans the outbox up to a cursor (`delivery_cursor`), which is
    /// right only while ids are handed out in commit order, as its one writer does. Here
    /// several transactions take ids at once and commit in any order, so a row behind the
    /// cursor could commit after it moved on and never be planned. Each outbox row says
    /// instead whether it is planned, and the planners claim unplanned rows with SKIP LOCKED.
    static let deliveryTables: [String] = [
        "ALTER TABLE outbox ADD COLUMN planned boolean NOT NULL DEFAULT false",
        "CREATE INDEX outbox_unplanned ON outbox (id) WHERE NOT planned",
        """
        CREATE TABLE deliveries (
            id bigserial PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('notification', 'digest', 'alert')),
            outbox_id bigint REFERENCES outbox (id),
            case_id text,
            channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
            target text NOT NULL CHECK (target <> ''),
            type text NOT NULL,
            urgent boolean NOT NULL,
            status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'digest', 'unconfigured')),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            round_start integer NOT NULL DEFAULT 0 CHECK (round_start <= attempts),
            next_attempt_at bigint,
            held_until bigint,
            last_error text,
            subject text,
            body text,
            day text,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            delivered_at bigint,
            message_id text NOT NULL UNIQUE CHECK (length(message_id) >= 16),
            CHECK (kind = 'notification' OR outbox_id IS NULL),
            CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL)
        )
        """,
        "CREATE UNIQUE INDEX deliveries_once_per_target ON deliveries (outbox_id, channel, target) WHERE outbox_id IS NOT NULL",
        "CREATE UNIQUE INDEX deliveries_one_digest_a_day ON deliveries (target, day) WHERE kind = 'digest'",
        "CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending'",
        "CREATE INDEX deliveries_by_status ON deliveries (status, id)",
        "CREATE INDEX deliveries_by_outbox ON deliveries (outbox_id)",
        """
        CREATE TABLE delivery_attempts (
            delivery_id bigint NOT NULL REFERENCES deliveries (id),
            attempt integer NOT NULL CHECK (attempt >= 1),
            started_at bigint NOT NULL,
            duration_ms integer NOT NULL,
            outcome text NOT NULL,
            status_code integer,
            error text,
            PRIMARY KEY (delivery_id, attempt)
        )
        """,
        """
        CREATE TABLE disabled_endpoints (
            name text PRIMARY KEY,
            disabled_at bigint NOT NULL,
            reason text NOT NULL
        )
        """,
    ]
}
