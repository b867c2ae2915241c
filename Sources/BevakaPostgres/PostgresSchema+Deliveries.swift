extension PostgresSchema {
    /// Deliveries (one per message to one endpoint or mailbox), their attempts, the
    /// outbox cursor and the endpoints switched off.
    static let deliveryTables: [String] = []
}
