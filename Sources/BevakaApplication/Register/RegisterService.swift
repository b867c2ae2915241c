import BevakaCore
import BevakaStore
import Foundation

/// The register and the traffic light, asked by a principal: anyone acting in a
/// role reads the register; the follow-up team (or an admin) keeps it; only the
/// team sees and sets the traffic light, which is internal to it (seed 000 ch. 2).
public struct RegisterService: Sendable {
    public let store: any Store
    public let teamRoles: Set<String>

    public init(store: any Store, teamRoles: Set<String> = AccessPolicy.defaultTeamRoles) {
        self.store = store
        self.teamRoles = teamRoles
    }

    func keeping(_ caller: CaseService.Caller) throws {
        if let refusal = AccessPolicy.mayKeepRegister(caller.principal, teamRoles: teamRoles) { throw refusal }
    }

    func team(_ caller: CaseService.Caller) throws {
        if let refusal = AccessPolicy.maySeeTrafficLight(caller.principal, teamRoles: teamRoles) { throw refusal }
    }

    // MARK: The register

    public func boards(by caller: CaseService.Caller) async throws -> [Board] {
        return try await store.boards()
    }

    public func providers(by caller: CaseService.Caller) async throws -> [Provider] {
        return try await store.providers()
    }

    public func units(provider: String?, by caller: CaseService.Caller) async throws -> [CareUnit] {
        return try await store.units(provider: provider)
    }

    public func contracts(board: String?, area: String?, by caller: CaseService.Caller) async throws -> [Contract] {
        return try await store.contracts(board: board, area: area)
    }

    public func item(kind: String, key: String, by caller: CaseService.Caller) async throws -> RegisterItem? {
        return try await store.registerItem(kind: kind, key: key)
    }

    public func history(kind: String, key: String, by caller: CaseService.Caller) async throws -> [RegisterChange] {
        return try await store.registerHistory(kind: kind, key: key)
    }

    /// Creates or changes one item; returns it as stored and whether it was created.
    public func put(_ item: RegisterItem, by caller: CaseService.Caller) async throws -> (item: RegisterItem, created: Bool) {
        try keeping(caller)
        let counts = try await store.putRegister([item], actor: caller.principal.actor.name)
        guard let stored = try await store.registerItem(kind: item.kind, key: item.key) else {
            throw RegisterProblems(["\(item.kind) '\(item.key)' was not stored"])
        }
        return (stored, counts.created == 1)
    }

    /// An import file (`RegisterCSV`), all or nothing.
    public func importCSV(_ text: String, dryRun: Bool, by caller: CaseService.Caller) async throws -> (created: Int, changed: Int, unchanged: Int) {
        let outcomes = try await importCSVItems(text, dryRun: dryRun, by: caller)
        return (outcomes.count { $0.change == .created }, outcomes.count { $0.change == .changed }, outcomes.count { $0.change == .same })
    }

    /// An import file, all or nothing, saying what each row's item did (or, with `dryRun`, would do).
    public func importCSVItems(_ text: String, dryRun: Bool, by caller: CaseService.Caller) async throws -> [RegisterOutcome] {
        try keeping(caller)
        let (items, lines, problems) = RegisterCSV.items(text)
        guard problems.isEmpty else { throw RegisterProblems(problems) }
        return try await store.putRegisterItems(items, lines: lines, actor: caller.principal.actor.name, dryRun: dryRun)
    }

    // MARK: The traffic light

    public func trafficLights(by caller: CaseService.Caller) async throws -> [(provider: Provider, light: TrafficLight?, redInGroup: [String])] {
        try team(caller)
        return try await store.trafficLights()
    }

    public func trafficLightHistory(provider: String, by caller: CaseService.Caller) async throws -> [TrafficLight] {
        try team(caller)
        guard try await store.registerItem(kind: "provider", key: provider) != nil else {
            throw RegisterProblems(["provider: no provider '\(provider.prefix(80))' in the register"])
        }
        return try await store.trafficLightHistory(provider: provider)
    }

    public func setTrafficLight(provider: String, colour: TrafficLight.Colour, assessedOn: LocalDate, comment: String,
                                by caller: CaseService.Caller) async throws -> TrafficLight {
        try team(caller)
        return try await store.setTrafficLight(provider: provider, colour: colour, assessedOn: assessedOn, comment: comment,
                                               actor: caller.principal.actor.name)
    }

    // MARK: The year's plan

    /// One contract's planned follow-up in a year, as the plan opens it.
    public struct PlannedFollowUp: Sendable, Equatable {
        public var contract: String
        public var provider: String
        public var colour: TrafficLight.Colour?
        public var form: String
        public var dueBy: LocalDate
        public var why: String
        /// The case opened, or the one already there for that contract and year.
        public var caseID: String?
        public var alreadyPlanned: Bool
    }

    /// The workflow the plan opens cases of.
    public static let plannedWorkflow = "vgr-planerad-uppfoljning"

    /// Opens the year's planned follow-up (seed 000 ch. 2.1–2.2): one case per contract
    /// running in `year` without one already, its form and date from the provider's
    /// traffic light: red a physical visit by 31 March (visited first), a provider in
    /// the group of a red one a dialogue meeting by 15 June (a look at it), yellow or
    /// not assessed a meeting by 30 September, green a follow-up at a distance by 30
    /// November. With `dryRun` nothing is opened.
    public func planYear(_ year: Int, owner: String, dryRun: Bool, by caller: CaseService.Caller) async throws -> [PlannedFollowUp] {
        try keeping(caller)
        guard (2000...2199).contains(year) else { throw RegisterProblems(["year: \(year) is not a year from 2000 to 2199"]) }
        guard store.catalog.forOpening(named: Self.plannedWorkflow) != nil else {
            throw RegisterProblems(["the workflow \(Self.plannedWorkflow) is not loaded; the plan opens its cases"])
        }
        let first = LocalDate(year: year, month: 1, day: 1), last = LocalDate(year: year, month: 12, day: 31)
        let lights = Dictionary(uniqueKeysWithValues: try await store.trafficLights().map { ($0.provider.id, $0) })
        var plan: [PlannedFollowUp] = []
        for contract in try await store.contracts() where contract.runs(from: first, to: last) {
            let entry = lights[contract.provider]
            let colour = entry?.light?.colour
            var item: PlannedFollowUp
            switch colour {
            case .rod?:
                item = PlannedFollowUp(contract: contract.id, provider: contract.provider, colour: colour, form: "platsbesok",
                                       dueBy: LocalDate(year: year, month: 3, day: 31),
                                       why: "Röd i trafikljuset: närmare uppföljning med fysiskt besök, först under året", caseID: nil, alreadyPlanned: false)
            case _ where !(entry?.redInGroup.isEmpty ?? true):
                item = PlannedFollowUp(contract: contract.id, provider: contract.provider, colour: colour, form: "dialogmote",
                                       dueBy: LocalDate(year: year, month: 6, day: 15),
                                       why: "Röd vårdgivare i samma koncern (\(entry!.redInGroup.joined(separator: ", "))): en närmare titt",
                                       caseID: nil, alreadyPlanned: false)
            case .gron?:
                item = PlannedFollowUp(contract: contract.id, provider: contract.provider, colour: colour, form: "skrivbordsuppfoljning",
                                       dueBy: LocalDate(year: year, month: 11, day: 30),
                                       why: "Grön i trafikljuset: enklare uppföljning", caseID: nil, alreadyPlanned: false)
            default:
                item = PlannedFollowUp(contract: contract.id, provider: contract.provider, colour: colour, form: "dialogmote",
                                       dueBy: LocalDate(year: year, month: 9, day: 30),
                                       why: colour == nil ? "Ingen trafikljusbedömning ännu: uppföljning som för gul" : "Gul i trafikljuset: uppföljning efter behov",
                                       caseID: nil, alreadyPlanned: false)
            }
            var existing = CaseFilter(workflow: Self.plannedWorkflow)
            existing.contract = contract.id
            existing.fields["uppfoljningsar"] = String(year)
            if let found = try await store.listCases(existing, after: nil, limit: 1).first {
                item.caseID = found.id
                item.alreadyPlanned = true
            } else if !dryRun {
                let fields: [String: JSONValue] = [
                    "uppfoljningsar": .int(year), "trafikljus": .string((colour ?? .gul).rawValue), "form": .string(item.form),
                    "planeradSenast": .string(item.dueBy.description), "beskrivning": .string(item.why),
                ]
                let record = try await store.openCase(workflow: Self.plannedWorkflow, owner: owner,
                                                      fields: fields, unit: contract.units.count == 1 ? contract.units[0] : nil,
                                                      contract: contract.id, actor: caller.principal.actor)
                item.caseID = record.id
            }
            plan.append(item)
        }
        return plan.sorted { ($0.dueBy, $0.contract) < ($1.dueBy, $1.contract) }
    }
}
