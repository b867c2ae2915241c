extension PostgresSchema {
    /// API tokens, sessions, logins under way and the access log.
    static let accessTables: [String] = []

    /// Calendar feeds and the entries last published in each.
    static let calendarTables: [String] = []
}
