import GRDB

/// The database schema as migrations. A migration, once shipped, is never
/// edited: a change is a new migration.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases-history-timers-outbox-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY NOT NULL,
                    workflow TEXT NOT NULL,
                    workflow_version INTEGER NOT NULL CHECK (workflow_version >= 1),
                    state TEXT NOT NULL,
                    state_entered_at INTEGER NOT NULL,
                    state_entry INTEGER NOT NULL CHECK (state_entry >= 1),
                    owner TEXT NOT NULL CHECK (owner <> ''),
                    fields TEXT NOT NULL CHECK (json_valid(fields)),
                    deadlines TEXT NOT NULL CHECK (json_valid(deadlines)),
                    accruals TEXT NOT NULL CHECK (json_valid(accruals)),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    is_final INTEGER NOT NULL CHECK (is_final IN (0, 1)),
                    next_due_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX cases_by_workflow_state ON cases(workflow, state, created_at);
                CREATE INDEX cases_by_owner ON cases(owner, created_at);
                CREATE INDEX cases_by_next_due ON cases(next_due_at) WHERE next_due_at IS NOT NULL;

                CREATE TABLE history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    event TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    payload TEXT NOT NULL CHECK (json_valid(payload)),
                    reason TEXT,
                    notes TEXT NOT NULL CHECK (json_valid(notes)),
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    UNIQUE (case_id, seq)
                );
                CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
                CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

                CREATE TABLE timers (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    due_at INTEGER NOT NULL,
                    deadline TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    state_entry INTEGER NOT NULL,
                    deadline_due INTEGER NOT NULL
                );
                CREATE INDEX timers_by_due ON timers(due_at, id);
                CREATE INDEX timers_by_case ON timers(case_id, deadline);

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    history_id INTEGER NOT NULL REFERENCES history(id),
                    created_at INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    recipients TEXT NOT NULL CHECK (json_valid(recipients)),
                    webhooks TEXT NOT NULL CHECK (json_valid(webhooks)),
                    template TEXT,
                    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
                    deadline TEXT,
                    due_at INTEGER,
                    event TEXT,
                    state TEXT NOT NULL,
                    data TEXT NOT NULL CHECK (json_valid(data)),
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead'))
                );
                CREATE INDEX outbox_by_status ON outbox(status, id);
                CREATE INDEX outbox_by_case ON outbox(case_id, id);

                CREATE TABLE workflow_versions (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    first_loaded_at INTEGER NOT NULL,
                    PRIMARY KEY (name, version)
                ) WITHOUT ROWID;

                CREATE TABLE ledger_segments (
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    accrual TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    from_date TEXT NOT NULL,
                    until_date TEXT,
                    rate TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity >= 0),
                    currency TEXT NOT NULL,
                    changed_by INTEGER NOT NULL REFERENCES history(id),
                    PRIMARY KEY (case_id, accrual, seq),
                    CHECK (until_date IS NULL OR until_date >= from_date)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-deliveries") { db in
            // One row per message to one endpoint or one mailbox. An outbox row
            // fans out into deliveries once (the cursor records how far), in the
            // same transaction; digests and administrators' alerts have no outbox row.
            try db.execute(sql: """
                CREATE TABLE deliveries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('notification', 'digest', 'alert')),
                    outbox_id INTEGER REFERENCES outbox(id),
                    case_id TEXT,
                    channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
                    target TEXT NOT NULL CHECK (target <> ''),
                    type TEXT NOT NULL,
                    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
                    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'digest')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    round_start INTEGER NOT NULL DEFAULT 0 CHECK (round_start <= attempts),
                    next_attempt_at INTEGER,
                    held_until INTEGER,
                    last_error TEXT,
                    subject TEXT,
                    body TEXT,
                    day TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    CHECK (kind = 'notification' OR outbox_id IS NULL),
                    CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL)
                );
                CREATE UNIQUE INDEX deliveries_once_per_target ON deliveries(outbox_id, channel, target) WHERE outbox_id IS NOT NULL;
                CREATE UNIQUE INDEX deliveries_one_digest_a_day ON deliveries(target, day) WHERE kind = 'digest';
                CREATE INDEX deliveries_due ON deliveries(next_attempt_at, id) WHERE status = 'pending';
                CREATE INDEX deliveries_by_status ON deliveries(status, id);
                CREATE INDEX deliveries_by_outbox ON deliveries(outbox_id);

                CREATE TABLE delivery_attempts (
                    delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
                    attempt INTEGER NOT NULL CHECK (attempt >= 1),
                    started_at INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    status_code INTEGER,
                    error TEXT,
                    PRIMARY KEY (delivery_id, attempt)
                ) WITHOUT ROWID;

                CREATE TABLE delivery_cursor (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last_outbox_id INTEGER NOT NULL
                );
                INSERT INTO delivery_cursor (id, last_outbox_id) VALUES (1, 0);

                CREATE TABLE disabled_endpoints (
                    name TEXT PRIMARY KEY NOT NULL,
                    disabled_at INTEGER NOT NULL,
                    reason TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-checklists-links") { db in
            // Checklists live on the case row like its deadlines; links join two
            // cases (written once from each side) and name the history row that made them.
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN checklists TEXT NOT NULL DEFAULT '[]';

                CREATE TABLE case_links (
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    linked_case_id TEXT NOT NULL REFERENCES cases(id),
                    relation TEXT NOT NULL CHECK (relation <> ''),
                    created_at INTEGER NOT NULL,
                    history_id INTEGER NOT NULL REFERENCES history(id),
                    PRIMARY KEY (case_id, linked_case_id, relation),
                    CHECK (case_id <> linked_case_id)
                ) WITHOUT ROWID;
                CREATE INDEX case_links_by_linked ON case_links(linked_case_id);
                """)
        }
        migrator.registerMigration("v4-message-ids-unconfigured-idempotency") { db in
            // Each delivery gets a message id of its own (a ULID; rows restart after a
            // restore, so row ids cannot serve), and a notification no configuration
            // covers is 'unconfigured' rather than 'dead', which an operator alerts on.
            // SQLite cannot change a CHECK, so outbox and deliveries are copied into new
            // tables (foreign keys are off during a GRDB migration and checked after it).
            try db.execute(sql: """
                CREATE TABLE outbox_v4 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    history_id INTEGER NOT NULL REFERENCES history(id),
                    created_at INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    recipients TEXT NOT NULL CHECK (json_valid(recipients)),
                    webhooks TEXT NOT NULL CHECK (json_valid(webhooks)),
                    template TEXT,
                    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
                    deadline TEXT,
                    due_at INTEGER,
                    event TEXT,
                    state TEXT NOT NULL,
                    data TEXT NOT NULL CHECK (json_valid(data)),
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'unconfigured'))
                );
                INSERT INTO outbox_v4 SELECT * FROM outbox;
                DROP TABLE outbox;
                ALTER TABLE outbox_v4 RENAME TO outbox;
                CREATE INDEX outbox_by_status ON outbox(status, id);
                CREATE INDEX outbox_by_case ON outbox(case_id, id);

                CREATE TABLE deliveries_v4 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('notification', 'digest', 'alert')),
                    outbox_id INTEGER REFERENCES outbox(id),
                    case_id TEXT,
                    channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
                    target TEXT NOT NULL CHECK (target <> ''),
                    type TEXT NOT NULL,
                    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
                    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'digest', 'unconfigured')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    round_start INTEGER NOT NULL DEFAULT 0 CHECK (round_start <= attempts),
                    next_attempt_at INTEGER,
                    held_until INTEGER,
                    last_error TEXT,
                    subject TEXT,
                    body TEXT,
                    day TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    message_id TEXT NOT NULL UNIQUE CHECK (length(message_id) >= 16),
                    CHECK (kind = 'notification' OR outbox_id IS NULL),
                    CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL)
                );
                INSERT INTO deliveries_v4 SELECT *, lower(hex(randomblob(16))) FROM deliveries;
                DROP TABLE deliveries;
                ALTER TABLE deliveries_v4 RENAME TO deliveries;
                CREATE UNIQUE INDEX deliveries_once_per_target ON deliveries(outbox_id, channel, target) WHERE outbox_id IS NOT NULL;
                CREATE UNIQUE INDEX deliveries_one_digest_a_day ON deliveries(target, day) WHERE kind = 'digest';
                CREATE INDEX deliveries_due ON deliveries(next_attempt_at, id) WHERE status = 'pending';
                CREATE INDEX deliveries_by_status ON deliveries(status, id);
                CREATE INDEX deliveries_by_outbox ON deliveries(outbox_id);
                UPDATE deliveries SET status = 'unconfigured'
                    WHERE status = 'dead' AND attempts = 0 AND last_error LIKE 'email is not configured%';
                UPDATE outbox SET status = 'unconfigured' WHERE status = 'dead' AND NOT EXISTS
                    (SELECT 1 FROM deliveries d WHERE d.outbox_id = outbox.id AND d.status = 'dead');

                -- A write sent again with the same Idempotency-Key gets the first answer.
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
                    fingerprint TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    location TEXT,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (scope, key)
                ) WITHOUT ROWID;
                CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
                """)
        }
        migrator.registerMigration("v5-api-tokens") { db in
            // Bevaka's own bearer tokens for systems (`bevaka token create`): only a
            // SHA-256 of the secret part is kept; the token is shown once, when made.
            try db.execute(sql: """
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 12),
                    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
                    role TEXT NOT NULL CHECK (role <> ''),
                    secret_sha256 TEXT NOT NULL CHECK (length(secret_sha256) = 64),
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6-access-log-and-sessions") { db in
            // Who read which case holding personal data, when and from where (the
            // patient data act's access log). Rows are only ever added: the triggers
            // refuse any change or removal, whoever asks.
            try db.execute(sql: """
                CREATE TABLE access_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    client TEXT NOT NULL,
                    personal_shown INTEGER NOT NULL CHECK (personal_shown IN (0, 1))
                );
                CREATE INDEX access_log_case ON access_log(case_id, id);
                CREATE INDEX access_log_subject ON access_log(subject, id);
                CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
                    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
                CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
                    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
                """)
            // Browser sessions: the cookie holds a random secret, the table only its
            // SHA-256, so a copy of the database opens no session.
            try db.execute(sql: """
                CREATE TABLE sessions (
                    id_sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(id_sha256) = 64),
                    subject TEXT NOT NULL,
                    name TEXT NOT NULL,
                    roles TEXT NOT NULL,
                    identifiers TEXT NOT NULL,
                    id_token TEXT,
                    csrf TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX sessions_subject ON sessions(subject);
                CREATE TABLE login_requests (
                    state_sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(state_sha256) = 64),
                    nonce TEXT NOT NULL,
                    verifier TEXT NOT NULL,
                    return_to TEXT NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-effective-times") { db in
            // When an event took effect, beside when it was registered (`at`): the plan's
            // arrival, the board's meeting. Null where the workflow does not say.
            try db.execute(sql: "ALTER TABLE history ADD COLUMN effective_at INTEGER")
        }
        migrator.registerMigration("v8-case-people") { db in
            // The people a case names for its roles: {"role": [{"name", "email"}]}.
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN people TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(people))")
        }
        migrator.registerMigration("v9-case-snapshots") { db in
            // The case as it was before each transition a timer made (an expiry, the
            // escalation it raised): an event registered late that took effect before
            // them is applied to that case, and what they did is undone. A copy of the
            // cases row (so a column added to cases must be added here too), with the
            // history seq of the transition's first row. Kept 400 days.
            try db.execute(sql: """
                CREATE TABLE case_snapshots AS SELECT * FROM cases WHERE 0;
                ALTER TABLE case_snapshots ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE case_snapshots ADD COLUMN taken_at INTEGER NOT NULL DEFAULT 0;
                CREATE UNIQUE INDEX case_snapshots_by_seq ON case_snapshots(id, first_seq);
                CREATE INDEX case_snapshots_by_age ON case_snapshots(taken_at);
                """)
        }
        migrator.registerMigration("v10-register") { db in
            // The register (issue 12): boards (nämnder), providers (vårdgivare) with their
            // group, units (vårdenheter, keyed by HSA-id) with listed patients over time,
            // contracts (avtal) with area, board, period and team. Every change is a row
            // in register_history (append-only); the traffic light is append-only too,
            // its latest row per provider is the current one.
            try db.execute(sql: """
                CREATE TABLE boards (
                    code TEXT PRIMARY KEY NOT NULL CHECK (code <> ''),
                    name TEXT NOT NULL CHECK (name <> '')
                );
                CREATE TABLE providers (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    name TEXT NOT NULL CHECK (name <> ''),
                    provider_group TEXT
                );
                CREATE INDEX providers_by_group ON providers(provider_group) WHERE provider_group IS NOT NULL;
                CREATE TABLE units (
                    hsa_id TEXT PRIMARY KEY NOT NULL CHECK (hsa_id <> ''),
                    name TEXT NOT NULL CHECK (name <> ''),
                    provider_id TEXT NOT NULL REFERENCES providers(id)
                );
                CREATE INDEX units_by_provider ON units(provider_id);
                CREATE TABLE unit_listed (
                    hsa_id TEXT NOT NULL REFERENCES units(hsa_id),
                    from_date TEXT NOT NULL,
                    listed INTEGER NOT NULL CHECK (listed >= 0),
                    PRIMARY KEY (hsa_id, from_date)
                ) WITHOUT ROWID;
                CREATE TABLE contracts (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    provider_id TEXT NOT NULL REFERENCES providers(id),
                    area TEXT NOT NULL CHECK (area <> ''),
                    board TEXT NOT NULL REFERENCES boards(code),
                    start_date TEXT NOT NULL,
                    end_date TEXT,
                    team TEXT,
                    CHECK (end_date IS NULL OR end_date >= start_date)
                );
                CREATE INDEX contracts_by_provider ON contracts(provider_id);
                CREATE INDEX contracts_by_board_area ON contracts(board, area);
                CREATE TABLE contract_units (
                    contract_id TEXT NOT NULL REFERENCES contracts(id),
                    hsa_id TEXT NOT NULL REFERENCES units(hsa_id),
                    PRIMARY KEY (contract_id, hsa_id)
                ) WITHOUT ROWID;
                CREATE INDEX contract_units_by_unit ON contract_units(hsa_id);
                CREATE TABLE register_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    change TEXT NOT NULL CHECK (change IN ('created', 'changed')),
                    before TEXT CHECK (before IS NULL OR json_valid(before)),
                    after TEXT NOT NULL CHECK (json_valid(after))
                );
                CREATE INDEX register_history_by_key ON register_history(kind, key, id);
                CREATE TRIGGER register_history_no_update BEFORE UPDATE ON register_history
                    BEGIN SELECT RAISE(ABORT, 'register history is append-only'); END;
                CREATE TRIGGER register_history_no_delete BEFORE DELETE ON register_history
                    BEGIN SELECT RAISE(ABORT, 'register history is append-only'); END;
                CREATE TABLE traffic_lights (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    provider_id TEXT NOT NULL REFERENCES providers(id),
                    colour TEXT NOT NULL CHECK (colour IN ('rod', 'gul', 'gron')),
                    assessed_on TEXT NOT NULL,
                    comment TEXT NOT NULL CHECK (comment <> ''),
                    actor TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX traffic_lights_by_provider ON traffic_lights(provider_id, id);
                CREATE TRIGGER traffic_lights_no_update BEFORE UPDATE ON traffic_lights
                    BEGIN SELECT RAISE(ABORT, 'the traffic light history is append-only'); END;
                CREATE TRIGGER traffic_lights_no_delete BEFORE DELETE ON traffic_lights
                    BEGIN SELECT RAISE(ABORT, 'the traffic light history is append-only'); END;

                ALTER TABLE cases ADD COLUMN unit_id TEXT;
                ALTER TABLE cases ADD COLUMN contract_id TEXT;
                ALTER TABLE case_snapshots ADD COLUMN unit_id TEXT;
                ALTER TABLE case_snapshots ADD COLUMN contract_id TEXT;
                CREATE INDEX cases_by_unit ON cases(unit_id, created_at) WHERE unit_id IS NOT NULL;
                CREATE INDEX cases_by_contract ON cases(contract_id, created_at) WHERE contract_id IS NOT NULL;
                CREATE INDEX cases_by_created ON cases(created_at, id);
                CREATE INDEX cases_by_due ON cases(ifnull(next_due_at, 9223372036854775807), id);

                -- The values of a case's non-personal text, enum, number and date fields, for
                -- search by any typed field (a diarienummer, a referral id); kept by the writer.
                CREATE TABLE case_terms (
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    PRIMARY KEY (name, value, case_id)
                ) WITHOUT ROWID;
                CREATE INDEX case_terms_by_case ON case_terms(case_id);
                """)
            // Cases from before the register get their terms when the store opens with
            // their workflows at hand (personal fields are never terms).
            try db.execute(sql: """
                CREATE TABLE pending_backfills (name TEXT PRIMARY KEY NOT NULL);
                INSERT INTO pending_backfills (name) SELECT 'case_terms' WHERE EXISTS (SELECT 1 FROM cases);
                """)
        }
        migrator.registerMigration("v11-register-search") { db in
            // The case's place in the register: beside its unit and contract, the provider,
            // board and area, kept from them by the writer and by register changes, so that
            // a search by any of them in due order is one index range (issue 12's benchmark).
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN provider_id TEXT;
                ALTER TABLE cases ADD COLUMN board TEXT;
                ALTER TABLE cases ADD COLUMN area TEXT;
                ALTER TABLE case_snapshots ADD COLUMN provider_id TEXT;
                ALTER TABLE case_snapshots ADD COLUMN board TEXT;
                ALTER TABLE case_snapshots ADD COLUMN area TEXT;
                DROP INDEX cases_by_unit;
                DROP INDEX cases_by_contract;
                CREATE INDEX cases_by_unit ON cases(unit_id, created_at, id) WHERE unit_id IS NOT NULL;
                CREATE INDEX cases_by_unit_due ON cases(unit_id, ifnull(next_due_at, 9223372036854775807), id) WHERE unit_id IS NOT NULL;
                CREATE INDEX cases_by_contract ON cases(contract_id, created_at, id) WHERE contract_id IS NOT NULL;
                CREATE INDEX cases_by_contract_due ON cases(contract_id, ifnull(next_due_at, 9223372036854775807), id) WHERE contract_id IS NOT NULL;
                CREATE INDEX cases_by_provider ON cases(provider_id, created_at, id) WHERE provider_id IS NOT NULL;
                CREATE INDEX cases_by_provider_due ON cases(provider_id, ifnull(next_due_at, 9223372036854775807), id) WHERE provider_id IS NOT NULL;
                CREATE INDEX cases_by_board ON cases(board, created_at, id) WHERE board IS NOT NULL;
                CREATE INDEX cases_by_board_due ON cases(board, ifnull(next_due_at, 9223372036854775807), id) WHERE board IS NOT NULL;
                CREATE INDEX cases_by_area ON cases(area, created_at, id) WHERE area IS NOT NULL;
                UPDATE cases SET
                    provider_id = coalesce((SELECT provider_id FROM contracts WHERE id = cases.contract_id),
                                           (SELECT provider_id FROM units WHERE hsa_id = cases.unit_id)),
                    board = (SELECT board FROM contracts WHERE id = cases.contract_id),
                    area = (SELECT area FROM contracts WHERE id = cases.contract_id)
                WHERE unit_id IS NOT NULL OR contract_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v12-calendar-feeds") { db in
            // iCalendar feeds (issue 13): a person's (the cases they own or are named on) or a
            // team role's. The URL's secret is the credential; only its SHA-256 is kept. Each
            // feed remembers what it last sent per event (its UID, start and SEQUENCE), so that
            // a moved deadline keeps its UID with a higher SEQUENCE and one that ended is sent
            // as cancelled for a while.
            try db.execute(sql: """
                CREATE TABLE calendar_feeds (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 12),
                    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
                    subject TEXT CHECK (subject IS NULL OR subject <> ''),
                    identifiers TEXT NOT NULL CHECK (json_valid(identifiers)),
                    team TEXT CHECK (team IS NULL OR team <> ''),
                    created_by TEXT NOT NULL CHECK (created_by <> ''),
                    created_at INTEGER NOT NULL,
                    renewed_at INTEGER,
                    revoked_at INTEGER,
                    CHECK ((subject IS NULL) <> (team IS NULL))
                ) WITHOUT ROWID;
                CREATE INDEX calendar_feeds_by_subject ON calendar_feeds(subject) WHERE subject IS NOT NULL;
                CREATE INDEX calendar_feeds_by_creator ON calendar_feeds(created_by);
                CREATE TABLE calendar_entries (
                    feed_id TEXT NOT NULL REFERENCES calendar_feeds(id) ON DELETE CASCADE,
                    uid TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    starts_at INTEGER NOT NULL,
                    sequence INTEGER NOT NULL CHECK (sequence >= 0),
                    summary TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    cancelled_at INTEGER,
                    PRIMARY KEY (feed_id, uid)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v13-case-tasks") { db in
            // What falls on each role (issue 13's "Mina uppgifter"): one row per role and due
            // item (a deadline's notify roles, a checklist item's responsible and ticking roles),
            // kept by the writer, so that a role's next tasks among 100,000 cases are one index
            // range rather than a walk through every case by due time.
            try db.execute(sql: """
                CREATE TABLE case_tasks (
                    role TEXT NOT NULL,
                    due_at INTEGER NOT NULL,
                    case_id TEXT NOT NULL,
                    item TEXT NOT NULL,
                    PRIMARY KEY (role, due_at, case_id, item)
                ) WITHOUT ROWID;
                CREATE INDEX case_tasks_by_case ON case_tasks(case_id);
                INSERT INTO pending_backfills (name) SELECT 'case_tasks' WHERE EXISTS (SELECT 1 FROM cases WHERE NOT is_final);
                """)
        }
        migrator.registerMigration("v14-calendar-all-day") { db in
            // A booked meeting on a date (issue 13, item 5) is an all-day event: a feed must
            // remember that it sent one so, to send its cancellation as a date too.
            try db.execute(sql: """
                ALTER TABLE calendar_entries ADD COLUMN all_day INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1));
                """)
        }
        migrator.registerMigration("v15-case-parties") { db in
            // Who a case is for: its owner and the addresses of its people, one row each, kept
            // by the writer, so that "Mina ärenden" and what a person may see are an index lookup
            // rather than a look into every case's people (issue 13's page benchmark).
            try db.execute(sql: """
                CREATE TABLE case_parties (
                    who TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    PRIMARY KEY (who, case_id)
                ) WITHOUT ROWID;
                CREATE INDEX case_parties_by_case ON case_parties(case_id);
                INSERT INTO case_parties (who, case_id) SELECT owner, id FROM cases;
                INSERT OR IGNORE INTO case_parties (who, case_id)
                    SELECT json_extract(person.value, '$.email'), cases.id
                    FROM cases, json_each(cases.people) AS role, json_each(role.value) AS person
                    WHERE json_extract(person.value, '$.email') IS NOT NULL;
                """)
        }
        return migrator
    }
}
