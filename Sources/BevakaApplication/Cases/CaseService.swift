import BevakaCore
import BevakaStore
import Foundation

/// A case as one principal may see it: personal fields it may not see are left
/// out of the record (and named in `hiddenFields`), so no caller can show them.
public struct CaseView: Sendable {
    public let record: CaseRecord
    public let definition: WorkflowDefinition
    public let hiddenFields: [String]
}

/// The commands and queries on cases, each asked by a principal from a client
/// address. It asks ``AccessPolicy`` before it asks the store, leaves out what
/// the principal may not see, and writes the access log before it answers. The
/// HTTP API, the CLI and the pages call this; none of them decides access.
public struct CaseService: Sendable {
    public let store: any Store
    let now: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Who asks, and from where (the address the access log records).
    public struct Caller: Sendable {
        public let principal: Principal
        public let client: String

        public init(_ principal: Principal, from client: String) {
            self.principal = principal
            self.client = client
        }
    }

    // MARK: Queries

    /// One case; `StoreError.caseNotFound` if it does not exist or the caller may not see it.
    public func view(_ id: String, by caller: Caller, action: String = "case") async throws -> CaseView {
        let (record, definition) = try await visibleCase(id, by: caller)
        return try await show([(record, definition)], to: caller, action: action)[0]
    }

    /// One page of the cases the caller may see.
    /// One page of the cases the caller may see, each with the cursor that continues after it.
    public func list(_ filter: CaseFilter, after: String?, limit: Int, by caller: Caller) async throws -> [(view: CaseView, cursor: CaseCursor)] {
        var filter = filter
        filter.visible = AccessPolicy.listScope(caller.principal, workflows: store.catalog.all)
        // A cursor names a case the caller could see; a bare id must be one.
        if let after { _ = try await visibleCase(CaseCursor(after)?.id ?? after, by: caller) }
        let page = try await store.listCasesWithCursors(filter, after: after, limit: limit)
        let views = try await show(try page.map { ($0.record, try store.definition($0.record.workflow)) }, to: caller, action: "list")
        return Array(zip(views, page.map(\.cursor)))
    }

    /// The cases with the soonest due items after `after` that fall on the caller's roles
    /// ("Mina uppgifter"), those it may see, in the order of their soonest such item.
    public func withTasks(after: TaskPosition? = nil, limit: Int, by caller: Caller) async throws -> [CaseView] {
        let records = try await store.casesWithTasks(roles: caller.principal.roles, after: after, limit: limit)
        let visible = try records.map { ($0, try store.definition($0.workflow)) }.filter { record, definition in
            AccessPolicy.maySee(caller.principal, .init(record, definition))
        }
        return try await show(visible, to: caller, action: "list")
    }

    public func history(_ id: String, by caller: Caller) async throws -> (CaseView, [HistoryRecord], chainIntact: Bool) {
        let view = try await view(id, by: caller, action: "history")
        let records = try await store.history(caseID: id)
        let intact = HistoryHasher.chainIsIntact(records, caseID: id)
        let hidden = Set(view.hiddenFields)
        return (view, hidden.isEmpty ? records : records.map { record in
            var entry = record.entry
            entry.payload = Self.leavingOut(hidden, from: entry.payload)
            return record.showing(entry)
        }, intact)
    }

    public func segments(_ id: String, by caller: Caller) async throws -> (CaseView, [AccrualSegment]) {
        let view = try await view(id, by: caller, action: "ledger")
        return (view, try await store.segments(caseID: id))
    }

    /// The case's notifications; what is recorded with them holds no personal field.
    public func notifications(_ id: String, by caller: Caller) async throws -> [OutboxRecord] {
        _ = try await view(id, by: caller, action: "notifications")
        return try await store.notifications(caseID: id)
    }

    public func links(_ id: String, by caller: Caller) async throws -> [CaseLink] {
        _ = try await view(id, by: caller, action: "links")
        return try await store.links(caseID: id)
    }

    // MARK: Commands

    public func open(workflow name: String, owner: String, fields: [String: JSONValue], people: [String: JSONValue] = [:],
                     unit: String? = nil, contract: String? = nil, by caller: Caller,
                     once: IdempotencyClaim<CaseView>? = nil) async throws -> CaseView {
        guard let definition = store.catalog.forOpening(named: name) else {
            throw StoreError.unknownWorkflow(name, known: store.catalog.openableNames)
        }
        if let refusal = AccessPolicy.mayActOn(caller.principal, workflowRoles: Set(definition.roles.map(\.name))) { throw refusal }
        let record = try await store.openCase(workflow: name, owner: owner, fields: fields, people: people, unit: unit, contract: contract,
                                              actor: caller.principal.actor,
                                              once: once.map { viewing($0, definition, by: caller) })
        return try await show([(record, definition)], to: caller, action: "open")[0]
    }

    /// Fires an event; the engine checks that the acting role may fire it.
    public func apply(_ id: String, event: String, payload: [String: JSONValue], reason: String?, by caller: Caller,
                      once: IdempotencyClaim<CaseView>? = nil) async throws -> CaseView {
        let (seen, definition) = try await visibleCase(id, by: caller)
        if let refusal = AccessPolicy.mayAct(caller.principal) { throw refusal }
        let record = try await store.applyEvent(caseID: id, event: event, payload: payload, reason: reason,
                                                actor: caller.principal.actor, seen: seen,
                                                once: once.map { viewing($0, definition, by: caller) })
        return try await show([(record, definition)], to: caller, action: "event")[0]
    }

    /// Links two cases the caller can see, acting in a role of the first case's workflow.
    public func link(_ id: String, to other: String, relation: String, reason: String?, by caller: Caller,
                     once: IdempotencyClaim<CaseLink>? = nil) async throws -> CaseLink {
        let (_, definition) = try await visibleCase(id, by: caller)
        if let refusal = AccessPolicy.mayActOn(caller.principal, workflowRoles: Set(definition.roles.map(\.name))) { throw refusal }
        _ = try await visibleCase(other, by: caller)
        return try await store.link(id, to: other, relation: relation, actor: caller.principal.actor, reason: reason, once: once)
    }

    /// Moves a case to another version of its workflow: an operator's command (`bevaka case migrate`).
    public func migrate(_ id: String, to version: Int, reason: String?, by caller: Caller) async throws -> CaseRecord {
        if let refusal = AccessPolicy.mayOperate(caller.principal) { throw refusal }
        return try await store.migrateCase(id, to: version, actor: caller.principal.actor, reason: reason)
    }

    // MARK: Access log

    public func accessLog(_ query: AccessLogQuery, by caller: Caller) async throws -> [AccessLogEntry] {
        if let refusal = AccessPolicy.mayReadAccessLog(caller.principal) { throw refusal }
        return try await store.accessLog(query)
    }

    // MARK: Helpers

    /// The case, if the caller may see it; otherwise it does not exist for them.
    func visibleCase(_ id: String, by caller: Caller) async throws -> (CaseRecord, WorkflowDefinition) {
        let record = try await store.caseRecord(id: id)
        let definition = try store.definition(record.workflow)
        guard AccessPolicy.maySee(caller.principal, .init(record, definition)) else { throw StoreError.caseNotFound(id) }
        return (record, definition)
    }

    /// Leaves out what the caller may not see, and logs the read of any case holding personal data first.
    func show(_ cases: [(CaseRecord, WorkflowDefinition)], to caller: Caller, action: String) async throws -> [CaseView] {
        var entries: [AccessLogEntry] = []
        let views = cases.map { record, definition in
            let view = Self.view(of: record, definition, for: caller.principal)
            if AccessPolicy.readIsLogged(definition) {
                entries.append(AccessLogEntry(at: now(), subject: caller.principal.subject, name: caller.principal.name,
                                              role: caller.principal.actingRole ?? "", caseID: record.id, action: action, client: caller.client,
                                              personalShown: view.hiddenFields.count < definition.fields.filter(\.personal).count))
            }
            return view
        }
        try await store.appendAccess(entries)
        return views
    }

    /// An idempotency claim on a view, as the store keeps it for the record the command returns.
    func viewing(_ claim: IdempotencyClaim<CaseView>, _ definition: WorkflowDefinition, by caller: Caller) -> IdempotencyClaim<CaseRecord> {
        let principal = caller.principal
        return IdempotencyClaim(scope: claim.scope, key: claim.key, fingerprint: claim.fingerprint) { record in
            claim.render(Self.view(of: record, definition, for: principal))
        }
    }

    /// The record with the personal fields the principal may not see left out.
    static func view(of record: CaseRecord, _ definition: WorkflowDefinition, for principal: Principal) -> CaseView {
        let hidden = AccessPolicy.hiddenFields(principal, definition)
        var shown = record
        for name in hidden { shown.fields[name] = nil }
        return CaseView(record: shown, definition: definition, hiddenFields: hidden.sorted())
    }

    /// A JSON value with every member named in `hidden` left out, at any depth.
    static func leavingOut(_ hidden: Set<String>, from value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members where !hidden.contains(key) { kept[key] = leavingOut(hidden, from: member) }
            return .object(kept)
        case .array(let items): return .array(items.map { leavingOut(hidden, from: $0) })
        default: return value
        }
    }
}
