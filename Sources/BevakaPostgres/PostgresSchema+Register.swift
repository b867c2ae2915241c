extension PostgresSchema {
    /// The register: boards, providers, units and their listed counts, contracts, the
    /// register's history and the traffic lights.
    static let registerTables: [String] = []
}
