import BevakaCore
import BevakaStore
import Foundation

/// The register and the traffic light, asked by a principal: anyone acting in a
/// role reads the register; the follow-up team (or an admin) keeps it; only the
/// team sees and sets the traffic light, which is internal to it (seed 000 ch. 2).
public struct RegisterService: Sendable {
    public let store: CaseStore
    public let teamRoles: Set<String>

    public init(store: CaseStore, teamRoles: Set<String> = AccessPolicy.defaultTeamRoles) {
        self.store = store
        self.teamRoles = teamRoles
    }

    func reading(_ caller: CaseService.Caller) throws {
        if let refusal = AccessPolicy.mayAct(caller.principal) { throw refusal }
    }

    func keeping(_ caller: CaseService.Caller) throws {
        if let refusal = AccessPolicy.mayKeepRegister(caller.principal, teamRoles: teamRoles) { throw refusal }
    }

    func team(_ caller: CaseService.Caller) throws {
        if let refusal = AccessPolicy.maySeeTrafficLight(caller.principal, teamRoles: teamRoles) { throw refusal }
    }

    // MARK: The register

    public func boards(by caller: CaseService.Caller) async throws -> [Board] {
        try reading(caller)
        return try await store.boards()
    }

    public func providers(by caller: CaseService.Caller) async throws -> [Provider] {
        try reading(caller)
        return try await store.providers()
    }

    public func units(provider: String?, by caller: CaseService.Caller) async throws -> [CareUnit] {
        try reading(caller)
        return try await store.units(provider: provider)
    }

    public func contracts(board: String?, area: String?, by caller: CaseService.Caller) async throws -> [Contract] {
        try reading(caller)
        return try await store.contracts(board: board, area: area)
    }

    public func item(kind: String, key: String, by caller: CaseService.Caller) async throws -> RegisterItem? {
        try reading(caller)
        return try await store.registerItem(kind: kind, key: key)
    }

    public func history(kind: String, key: String, by caller: CaseService.Caller) async throws -> [RegisterChange] {
        try reading(caller)
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
        try keeping(caller)
        let (items, lines, problems) = RegisterCSV.items(text)
        guard problems.isEmpty else { throw RegisterProblems(problems) }
        let counts = try await store.putRegister(items, lines: lines, actor: caller.principal.actor.name, dryRun: dryRun)
        return (counts.created, counts.changed, items.count - counts.created - counts.changed)
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
}
