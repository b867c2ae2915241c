import BevakaCore
import BevakaStore
import Foundation

/// The boards' reports (seed 000 ch. 2.3, "Återrapportering"), finance's deduction
/// list and the care-referral statistics, computed from the register and the cases
/// when asked. Decisions count by when they took effect, not when they were typed.
/// Reports hold no personal data; anyone signed in may read them.
public struct ReportService: Sendable {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    /// A period of whole days, both ends included, in Stockholm time.
    public struct Period: Sendable {
        public let from: LocalDate
        public let to: LocalDate
        /// The instants it runs between (from midnight to midnight), worked out once: a report
        /// asks of every history row whether it falls in the period.
        let start: Date
        let end: Date

        public init(from: LocalDate, to: LocalDate) {
            self.from = from
            self.to = to
            start = SwedishCalendar().instant(on: from, at: LocalTime(hour: 0, minute: 0))
            end = SwedishCalendar().instant(on: to.adding(days: 1), at: LocalTime(hour: 0, minute: 0))
        }

        func contains(_ instant: Date) -> Bool { instant >= start && instant < end }
        var text: String { "\(SwedishText.date(from)) – \(SwedishText.date(to))" }
    }

    // MARK: The boards' report

    /// Overview, steps, summary, per board and detail list for the contracts of `board`
    /// and `area` (nil: all) that run during the period.
    public func boardReport(_ period: Period, board: String?, area: String?, by caller: CaseService.Caller) async throws -> Report {
        let boards = Dictionary(uniqueKeysWithValues: try await store.boards().map { ($0.code, $0.name) })
        let providers = Dictionary(uniqueKeysWithValues: try await store.providers().map { ($0.id, $0.name) })
        let units = Dictionary(uniqueKeysWithValues: try await store.units().map { ($0.hsaId, $0.name) })
        let contracts = try await store.contracts(board: board, area: area).filter { $0.runs(from: period.from, to: period.to) }
        let byID = Dictionary(uniqueKeysWithValues: contracts.map { ($0.id, $0) })
        let cases = try await store.reportCases(contracts: contracts.map(\.id), texts: ["beskrivning", "kalla"])

        // What each case did in the period: rows by people that were not undone or annulled.
        var followedUp: Set<String> = []
        var categoryCounts: [String: [ReportCategory: Int]] = [:]   // by "board|area"
        var stepCounts: [String: Int] = [:]                          // by "workflow title|state title"
        var details: [[ReportCell]] = []
        for (record, history) in cases {
            guard let contract = record.contract.flatMap({ byID[$0] }) else { continue }
            let group = "\(contract.board)|\(contract.area)"
            let undone = Self.undoneSeqs(history)
            var active = false
            // Most cases stay in one workflow: look it up once, not per row.
            let handedOver = history.contains { $0.event == "case.handedOver" }
            let current = try? store.definition(record.workflow)
            for row in history where period.contains(row.at) && !undone.contains(row.seq) {
                guard let definition = handedOver ? workflow(at: row.seq, of: record.workflow, history: history) : current else { continue }
                if row.role != "system" { active = true }
                if row.event == "case.undone" || row.event == "case.annulled" { continue }
                // A step started: a move into a state (opening a case in its first state is not a measure).
                if let from = row.fromState, from != row.toState, let state = definition.state(row.toState) {
                    stepCounts["\(definition.title)|\(state.title ?? state.name)", default: 0] += 1
                }
                for (category, events) in definition.reporting where events.contains(row.event) {
                    categoryCounts[group, default: [:]][category, default: 0] += 1
                }
            }
            guard active else { continue }
            followedUp.insert(contract.id)
            let definition = current
            let state = definition?.state(record.state)
            let deviation = record.text("beskrivning") ?? record.text("kalla").map { definition?.field("kalla")?.title(ofValue: $0) ?? $0 } ?? ""
            details.append([
                .text(providers[contract.provider] ?? contract.provider), .text(contract.id), .text(contract.area),
                .text(contract.board), .text(record.unit.flatMap { units[$0] } ?? ""),
                .text(definition?.title ?? record.workflow.name),
                .text((state?.title ?? record.state) + (state?.isFinal == true ? " (avslutat)" : " (pågår)")),
                .text(deviation),
            ])
        }

        var overview: [[ReportCell]] = []
        let groups = Set(contracts.map { "\($0.board)|\($0.area)" }).sorted()
        for group in groups {
            let parts = group.split(separator: "|", maxSplits: 1).map(String.init)
            let inGroup = contracts.filter { "\($0.board)|\($0.area)" == group }
            overview.append([
                .text(parts[0]), .text(parts[1]),
                .count(inGroup.filter { $0.runs(from: period.from, to: period.from) }.count),
                .count(inGroup.filter { $0.runs(from: period.to, to: period.to) }.count),
                .count(inGroup.filter { followedUp.contains($0.id) }.count),
                // Measures started: plans asked for, measures beyond plans, hand-overs to in-depth follow-up.
                .count([ReportCategory.actionPlanRequested, .measureBeyondPlan, .handedToInDepth].map { categoryCounts[group]?[$0] ?? 0 }.reduce(0, +)),
            ])
        }
        let counted: [ReportCategory] = [.actionPlanRequested, .actionPlanApproved, .actionPlanRejected, .measureBeyondPlan, .handedToInDepth]
        let summary = groups.map { group -> [ReportCell] in
            let parts = group.split(separator: "|", maxSplits: 1).map(String.init)
            return [.text(parts[0]), .text(parts[1])] + counted.map { .count(categoryCounts[group]?[$0] ?? 0) }
        }
        let perBoard = Set(contracts.map(\.board)).sorted().map { code -> [ReportCell] in
            let inBoard = contracts.filter { $0.board == code }
            return [.text(code), .text(boards[code] ?? code), .count(inBoard.count), .count(inBoard.filter { followedUp.contains($0.id) }.count)]
        }
        let steps = stepCounts.sorted { $0.key < $1.key }.map { key, count -> [ReportCell] in
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            return [.text(parts[0]), .text(parts.count > 1 ? parts[1] : ""), .count(count)]
        }
        var scope = [period.text]
        if let board { scope.append(board) }
        if let area { scope.append(area) }
        return Report(id: "board-report", title: "Återrapportering av avtalsuppföljning", scope: scope.joined(separator: ", "), tables: [
            ReportTable(id: "overview", title: "Översikt", columns: [
                ("board", "Nämnd"), ("area", "Avtalsområde"), ("contractsAtStart", "Avtal vid periodens början"),
                ("contractsAtEnd", "Avtal vid periodens slut"), ("followedUp", "Uppföljda avtal"), ("measures", "Påbörjade åtgärder"),
            ], rows: overview),
            ReportTable(id: "steps", title: "Påbörjade åtgärder per steg", columns: [
                ("workflow", "Process"), ("step", "Steg"), ("started", "Antal påbörjade"),
            ], rows: steps),
            ReportTable(id: "summary", title: "Sammanställning", columns: [("board", "Nämnd"), ("area", "Avtalsområde")]
                + counted.map { ($0.rawValue, $0.title) }, rows: summary),
            ReportTable(id: "boards", title: "Per nämnd", columns: [
                ("board", "Nämnd"), ("name", "Namn"), ("contracts", "Antal avtal"), ("followedUp", "Antal uppföljda"),
            ], rows: perBoard),
            ReportTable(id: "details", title: "Detaljlista", columns: [
                ("provider", "Part"), ("contract", "Avtal"), ("area", "Avtalsområde"), ("board", "Nämnd"), ("unit", "Enhet"),
                ("followUp", "Typ av uppföljning"), ("result", "Resultat"), ("deviation", "Typ av avvikelse"),
            ], rows: details),
        ])
    }

    /// History rows that a later `case.undone` or `case.annulled` took back, with the row
    /// that was annulled.
    static func undoneSeqs(_ history: [ReportHistoryRow]) -> Set<Int> {
        var seqs: Set<Int> = []
        for row in history where row.event == "case.undone" || row.event == "case.annulled" {
            if case .object(let payload) = row.payload {
                if case .array(let list)? = payload["undone"] { for case .int(let seq) in list { seqs.insert(seq) } }
                if case .int(let seq)? = payload["annulled"] { seqs.insert(seq) }
            }
        }
        return seqs
    }

    /// The workflow version a case was on at history row `seq` (a hand-over moves it).
    func workflow(at seq: Int, of current: WorkflowKey, history: [ReportHistoryRow]) -> WorkflowDefinition? {
        var key = current
        for row in history.reversed() where row.event == "case.handedOver" && row.seq > seq {
            if case .object(let payload) = row.payload, case .string(let from)? = payload["fromWorkflow"], let parsed = Self.key(from) {
                key = parsed
            }
        }
        return try? store.definition(key)
    }

    static func key(_ text: String) -> WorkflowKey? {
        guard let at = text.lastIndex(of: "@"), let version = Int(text[text.index(after: at)...]) else { return nil }
        return WorkflowKey(name: String(text[..<at]), version: version)
    }

    // MARK: Finance's deduction list

    /// Every running sanction per unit and month in kronor, and every month a payment
    /// was withheld, across cases, for the months from `from` to `to` (`YYYY-MM`).
    public func deductions(months: ClosedRange<String>, asOf today: LocalDate, by caller: CaseService.Caller) async throws -> Report {
        let withheld = Set(store.catalog.all.flatMap { $0.reporting[.paymentWithheld] ?? [] })
        let released = Set(store.catalog.all.flatMap { $0.reporting[.paymentReleased] ?? [] })
        let units = Dictionary(uniqueKeysWithValues: try await store.units().map { ($0.hsaId, $0) })
        let providers = Dictionary(uniqueKeysWithValues: try await store.providers().map { ($0.id, $0.name) })
        var rows: [[ReportCell]] = []
        for (record, segments, history) in try await store.deductionCases(events: withheld.union(released)) {
            let definition = try store.definition(record.workflow)
            let unit = record.unit.flatMap { units[$0] }
            let unitName = unit?.name ?? record.text("enhet") ?? ""
            let provider = unit.flatMap { providers[$0.provider] } ?? record.text("vardgivare") ?? ""
            let reference = record.reference
            func row(_ month: String, _ kind: String, _ amount: ReportCell) -> [ReportCell] {
                [.text(month), .text(unit?.hsaId ?? ""), .text(unitName), .text(provider), .text(reference), .text(record.id), .text(kind), amount]
            }
            for (month, amount) in Ledger.totalsByMonth(Ledger.monthly(segments, asOf: today, workflow: definition)) where months.contains(month) {
                rows.append(row(month, "Sanktion", .money(amount)))
            }
            // Withheld from the month of a withholding event to the month of its release (or today).
            let calendar = definition.calendar
            var since: LocalDate?
            var spans: [(LocalDate, LocalDate)] = []
            for entry in history.filter({ !Self.undoneSeqs(history).contains($0.seq) }) {
                if withheld.contains(entry.event), since == nil { since = calendar.localDate(of: entry.at) }
                if released.contains(entry.event), let start = since { spans.append((start, calendar.localDate(of: entry.at))); since = nil }
            }
            if let start = since { spans.append((start, today)) }
            for (start, end) in spans {
                var month = start.startOfMonth
                while month <= end {
                    let text = String(month.description.prefix(7))
                    if months.contains(text) { rows.append(row(text, "Ersättning innehållen", .text("innehållen"))) }
                    month = month.adding(months: 1)
                }
            }
        }
        rows.sort { ($0[0].text, $0[2].text, $0[4].text, $0[6].text) < ($1[0].text, $1[2].text, $1[4].text, $1[6].text) }
        return Report(id: "deductions", title: "Avdrag per enhet och månad", scope: "\(months.lowerBound) – \(months.upperBound)", tables: [
            ReportTable(id: "deductions", title: "Avdrag och innehållen ersättning", columns: [
                ("month", "Månad"), ("hsaId", "HSA-id"), ("unit", "Enhet"), ("provider", "Vårdgivare"), ("reference", "Ärende"),
                ("caseId", "Ärende-id"), ("kind", "Slag"), ("amount", "Belopp (kr)"),
            ], rows: rows),
        ])
    }

    // MARK: Care referral (seed 004)

    /// Handling times, answers within 14 days and offers by post, for referrals whose
    /// form came in during the period.
    public func careReferral(_ period: Period, by caller: CaseService.Caller) async throws -> Report {
        func date(_ record: CaseRecord, _ name: String) -> LocalDate? {
            if case .date(let day)? = record.fields[name] { day } else { nil }
        }
        let cases = try await store.casesOfWorkflow("nationell-vardformedling").filter { record in
            date(record, "blankettInkom").map { $0 >= period.from && $0 <= period.to } ?? false
        }
        let handlingTimes = cases.compactMap { record -> Int? in
            if case .integer(let days)? = record.fields["handlaggningstid"] { days } else { nil }
        }.sorted()
        let offered = cases.filter { date($0, "erbjudandeSkickat") != nil || date($0, "brevSkickat") != nil }
        let answered = offered.filter { record in
            guard let sent = date(record, "erbjudandeSkickat") ?? date(record, "brevSkickat"), let answer = date(record, "svarInkom") else { return false }
            return sent.days(until: answer) <= 14
        }
        let byPost = cases.filter { date($0, "brevSkickat") != nil }
        let middle = handlingTimes.count / 2
        let median = handlingTimes.isEmpty ? "" : handlingTimes.count % 2 == 1 ? String(handlingTimes[middle])
            : SwedishText.decimal(Decimal(handlingTimes[middle - 1] + handlingTimes[middle]) / 2)
        let average = handlingTimes.isEmpty ? "" : SwedishText.decimal(Decimal(handlingTimes.reduce(0, +)) / Decimal(handlingTimes.count))
        return Report(id: "care-referral", title: "Vårdförmedling: statistik", scope: period.text, tables: [
            ReportTable(id: "referrals", title: "Vårdförmedlingar", columns: [("measure", "Mått"), ("value", "Värde")], rows: [
                [.text("Vårdförmedlingar inledda under perioden"), .count(cases.count)],
                [.text("Med handläggningstid (remissbekräftelse inkommen)"), .count(handlingTimes.count)],
                [.text("Handläggningstid, median (dagar)"), .text(median)],
                [.text("Handläggningstid, medel (dagar)"), .text(average)],
                [.text("Erbjudanden skickade"), .count(offered.count)],
                [.text("Svar inom 14 dagar"), .count(answered.count)],
                [.text("Erbjudanden med post"), .count(byPost.count)],
            ]),
        ])
    }
}
