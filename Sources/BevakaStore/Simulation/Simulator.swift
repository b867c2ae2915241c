import BevakaCore
import Foundation
import Synchronization

/// What a simulation needs of a store: the commands, one case's reads and the timers.
public typealias SimulationStore = WorkflowStore & CaseCommandStore & CaseReadStore & TimerStore

/// Runs a scenario through the real store (SQLite in memory, or the store `makeStore`
/// opens on the given clock) and the same engine as the daemon, on a virtual clock:
/// months pass in milliseconds.
public enum Simulator {
    public static func run(_ scenario: Scenario, catalog: WorkflowCatalog,
                           store makeStore: ((@escaping @Sendable () -> Date) async throws -> any SimulationStore)? = nil)
        async throws -> SimulationResult {
        guard let definition = catalog.latest(named: scenario.workflow) else {
            throw StoreError.unknownWorkflow(scenario.workflow, known: catalog.names)
        }
        let clock = VirtualClock(scenario.start)
        let store: any SimulationStore = if let makeStore {
            try await makeStore({ clock.now })
        } else {
            try CaseStore(inMemoryWith: catalog, now: { clock.now })
        }
        let opened = try await store.openCase(workflow: scenario.workflow, owner: scenario.owner, fields: scenario.fields,
                                              actor: scenario.opener)
        var refusals: [(Date, String)] = []
        var failures: [String] = []
        let file = URL(fileURLWithPath: scenario.path).lastPathComponent

        for step in scenario.steps {
            try await advance(store, clock: clock, to: step.at)
            clock.set(step.at)
            do {
                _ = try await store.applyEvent(caseID: opened.id, event: step.event, payload: step.payload,
                                               reason: step.reason, actor: step.actor)
                if let expected = step.expectError {
                    failures.append("\(file):\(step.line): '\(step.event)' was accepted, but the scenario expects it refused (\(expected))")
                }
            } catch StoreError.engine(let error) {
                refusals.append((step.at, "\(step.actor.name) (\(step.actor.role)) \(step.event) REFUSED [\(error.slug)]: \(error)"))
                if step.expectError != error.slug {
                    failures.append("\(file):\(step.line): '\(step.event)' was refused (\(error.slug): \(error))"
                        + (step.expectError.map { ", expected \($0)" } ?? ""))
                }
            }
        }
        try await advance(store, clock: clock, to: scenario.until)
        clock.set(scenario.until)

        let outcome = try await Outcome(store: store, caseID: opened.id, scenario: scenario, definition: definition)
        failures += outcome.failures(scenario)
        let (record, history, notifications, ledger, asOf) = (outcome.record, outcome.history, outcome.notifications,
                                                                outcome.ledger, outcome.asOf)
        let text = render(scenario, definition: definition, history: history, notifications: notifications,
                          refusals: refusals, ledger: ledger, asOf: asOf, record: record)
        return SimulationResult(caseID: opened.id, record: record, history: history, notifications: notifications,
                                ledger: ledger, failures: failures, text: text)
    }

    /// Fires every timer due up to `instant`, one at a time, each at its own due moment.
    static func advance(_ store: any SimulationStore, clock: VirtualClock, to instant: Date) async throws {
        try await advance(store, to: instant, now: { clock.now }, setClock: { clock.set($0) })
    }

    /// Fires every timer due up to `instant`, one at a time, moving the store's clock
    /// (through `setClock`) to each timer's due moment first: the HTTP replay of
    /// scenarios uses it with the daemon's own clock.
    public static func advance(_ store: any TimerStore, to instant: Date, now: () -> Date, setClock: (Date) -> Void) async throws {
        while let next = try await store.earliestTimers(dueBefore: instant, limit: 1).first {
            setClock(max(now(), next.dueAt))
            _ = try await store.fireTimer(id: next.id)
        }
    }

    /// A scenario's case as it ended: what the expectations are checked against.
    public struct Outcome: Sendable {
        public let file: String
        public let record: CaseRecord
        public let history: [HistoryRecord]
        public let notifications: [OutboxRecord]
        public let links: [CaseLink]
        public let ledger: [LedgerRow]
        public let asOf: LocalDate
        public let definition: WorkflowDefinition
        public let until: Date

        public init(store: any SimulationStore, caseID: String, scenario: Scenario, definition: WorkflowDefinition) async throws {
            file = URL(fileURLWithPath: scenario.path).lastPathComponent
            record = try await store.caseRecord(id: caseID)
            history = try await store.history(caseID: caseID)
            notifications = try await store.notifications(caseID: caseID)
            links = try await store.links(caseID: caseID)
            asOf = definition.calendar.localDate(of: scenario.until)
            ledger = Ledger.monthly(try await store.segments(caseID: caseID), asOf: asOf, workflow: definition)
            self.definition = try store.definition(record.workflow)
            until = scenario.until
        }

        /// The scenario's expectations that do not hold; empty when it passed.
        public func failures(_ scenario: Scenario) -> [String] {
            Simulator.check(scenario.expect, record: record, history: history, notifications: notifications, ledger: ledger, file: file)
                + Simulator.check(scenario.expect, record: record, definition: definition, links: links, now: until, file: file)
        }
    }

    static func check(_ expect: Scenario.Expectations, record: CaseRecord, history: [HistoryRecord],
                      notifications: [OutboxRecord], ledger: [LedgerRow], file: String) -> [String] {
        var failures: [String] = []
        if let state = expect.state, state != record.state {
            failures.append("\(file): expected final state \(state), got \(record.state)")
        }
        if let owner = expect.owner, owner != record.owner {
            failures.append("\(file): expected owner \(owner), got \(record.owner)")
        }
        for (name, expected) in expect.fields.sorted(by: { $0.key < $1.key }) {
            let actual = record.fields[name].map(FieldValueCoder.encode) ?? .null
            if actual != expected { failures.append("\(file): expected \(name) = \(expected), got \(actual)") }
        }
        let total = Ledger.format(ledger.reduce(Decimal(0)) { $0 + $1.amount })
        if let expected = expect.ledgerTotal, expected != total {
            failures.append("\(file): expected ledger total \(expected), got \(total)")
        }
        let months = Dictionary(uniqueKeysWithValues: Ledger.totalsByMonth(ledger).map { ($0.month, Ledger.format($0.amount)) })
        for (month, expected) in expect.ledgerMonths.sorted(by: { $0.key < $1.key }) where months[month] != expected {
            failures.append("\(file): expected ledger \(month) = \(expected), got \(months[month] ?? "nothing")")
        }
        if let missing = firstMissing(expect.events, in: history.map(\.entry.event)) {
            failures.append("\(file): expected event \(missing) (in order \(expect.events.joined(separator: ", "))); history: \(history.map(\.entry.event).joined(separator: ", "))")
        }
        if let missing = firstMissing(expect.notifications, in: notifications.map(\.type)) {
            failures.append("\(file): expected notification \(missing) (in order \(expect.notifications.joined(separator: ", "))); recorded: \(notifications.map(\.type).joined(separator: ", "))")
        }
        return failures
    }

    /// The expectations about hand-overs, checklists and links.
    static func check(_ expect: Scenario.Expectations, record: CaseRecord, definition: WorkflowDefinition, links: [CaseLink],
                      now: Date, file: String) -> [String] {
        var failures: [String] = []
        if let workflow = expect.workflow, workflow != record.workflow.name {
            failures.append("\(file): expected the case on workflow \(workflow), got \(record.workflow.name)")
        }
        for (name, expected) in expect.checklists.sorted(by: { $0.key < $1.key }) {
            guard let checklistDefinition = definition.checklist(name),
                  let state = record.checklists.first(where: { $0.name == name }) else {
                failures.append("\(file): expected checklist \(name) on the case; it has \(record.checklists.map(\.name))")
                continue
            }
            let statuses = state.statuses(checklistDefinition, now: now)
            for (status, ids) in expected.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let actual = statuses.filter { $0.1 == status }.map(\.0.id)
                if Set(actual) != Set(ids) {
                    failures.append("\(file): expected \(name) \(status.rawValue) = \(ids.sorted()), got \(actual.sorted())")
                }
            }
        }
        if let expected = expect.links, expected != links.map(\.relation) {
            failures.append("\(file): expected links \(expected), got \(links.map(\.relation))")
        }
        return failures
    }

    /// The first expected item not found as an ordered subsequence of `actual`.
    static func firstMissing(_ expected: [String], in actual: [String]) -> String? {
        var index = actual.startIndex
        for item in expected {
            guard let found = actual[index...].firstIndex(of: item) else { return item }
            index = actual.index(after: found)
        }
        return nil
    }

    static func render(_ scenario: Scenario, definition: WorkflowDefinition, history: [HistoryRecord],
                       notifications: [OutboxRecord], refusals: [(Date, String)], ledger: [LedgerRow], asOf: LocalDate,
                       record: CaseRecord) -> String {
        let calendar = definition.calendar
        func local(_ date: Date) -> String {
            "\(calendar.localDate(of: date)) \(calendar.localTime(of: date))"
        }
        var entries: [(Date, Int, [String])] = []
        for item in history {
            let entry = item.entry
            let move = entry.fromState.map { $0 == entry.toState ? "(\($0))" : "\($0) → \(entry.toState)" } ?? "→ \(entry.toState)"
            var detail = ""
            if case .object(let payload) = entry.payload, !payload.isEmpty, entry.event != "case.opened" {
                detail = " " + JSONValue.object(payload).description
            }
            var lines = ["\(local(entry.at))  \(entry.actor) (\(entry.role))  \(entry.event)\(detail)  \(move)"]
            if let effective = entry.effectiveAt { lines.append("      took effect \(local(effective))") }
            if let reason = entry.reason { lines.append("      reason: \(reason)") }
            for note in entry.notes { lines.append("      · \(note)") }
            for notification in notifications where notification.historyID == item.id {
                let to = (notification.recipients + notification.webhooks.map { "webhook:\($0)" }).joined(separator: ", ")
                let template = notification.template.map { " [\($0)]" } ?? ""
                lines.append("      ✉ \(notification.type) → \(to)\(template)\(notification.urgent ? " URGENT" : "")")
            }
            entries.append((entry.at, item.seq, lines))
        }
        for (at, text) in refusals { entries.append((at, Int.max, ["\(local(at))  \(text)"])) }
        var out = ["Simulation of \(definition.key) from \(local(scenario.start)) to \(local(scenario.until)) (Europe/Stockholm)", ""]
        for entry in entries.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) { out += entry.2 }
        out.append("")
        out.append("Final state: \(record.state)" + (record.workflow.name == scenario.workflow ? "" : " (workflow \(record.workflow))"))
        for checklist in record.checklists {
            let done = checklist.items.filter(\.isDone).count
            out.append("Checklist \(checklist.name): \(done) of \(checklist.items.count) opened items done"
                + (checklist.closedBecause.map { ", closed: \($0)" } ?? ""))
        }
        if !ledger.isEmpty {
            out.append("")
            out.append("Ledger as of \(asOf):")
            for row in ledger {
                out.append("  \(row.month)  \(row.accrual)#\(row.seq)  \(row.from)…\(row.through)  \(row.rate) × \(row.quantity) × \(row.days)/\(row.daysInMonth) = \(Ledger.format(row.amount)) \(row.currency)")
            }
            let total = ledger.reduce(Decimal(0)) { $0 + $1.amount }
            out.append("  Total: \(Ledger.format(total)) \(ledger.first?.currency ?? "")")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// What a simulation produced.
public struct SimulationResult: Sendable {
    public let caseID: String
    public let record: CaseRecord
    public let history: [HistoryRecord]
    public let notifications: [OutboxRecord]
    public let ledger: [LedgerRow]
    /// Expectations of the scenario that did not hold; empty when it passed.
    public let failures: [String]
    /// The printed timeline.
    public let text: String
}

/// The simulation's clock: moved by the simulator, read by the store.
final class VirtualClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}
