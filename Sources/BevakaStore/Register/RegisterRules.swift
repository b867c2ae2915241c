import BevakaCore
import Foundation

// The register's rules, whichever store keeps it: each store looks up what an item or a
// case depends on, and these say what is wrong, what is written and what a case takes
// from the register, in the same words on both (the web pages translate them by prefix).

/// What an item's checks need to know of the register as it is, looked up by the store.
package struct RegisterFacts: Sendable {
    /// Whether the provider a unit or a contract names is in the register.
    package var providerExists = false
    /// Whether the board a contract names is.
    package var boardExists = false
    /// The provider of each unit a contract lists, for those in the register.
    package var unitProviders: [String: String] = [:]
    /// The contracts of another provider that list a unit, which it must leave before it moves.
    package var contractsOfOthers: [String] = []

    package init() {}
}

extension RegisterItem {
    /// What is wrong with the item, given the register as it is (and the items written before it).
    package func problems(in register: RegisterFacts) -> [String] {
        var problems: [String] = []
        func present(_ text: String, _ what: String) {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(what) is empty") }
            if text.count > 400 { problems.append("\(what) is longer than 400 characters") }
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append("\(what) holds a control character")
            }
        }
        for optional in optionalTexts where optional.count > 400 || optional.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append("'\(optional.prefix(40))…' is longer than 400 characters or holds a control character")
        }
        switch self {
        case .board(let board):
            present(board.code, "the board's code"); present(board.name, "the board's name")
        case .provider(let provider):
            present(provider.id, "the provider's id"); present(provider.name, "the provider's name")
        case .unit(let unit):
            present(unit.hsaId, "the unit's HSA-id"); present(unit.name, "the unit's name")
            if !register.providerExists {
                problems.append("provider: no provider '\(unit.provider.prefix(80))' in the register")
            }
            if let negative = unit.listed.first(where: { $0.listed < 0 || $0.listed > 1_000_000_000_000 }) {
                problems.append("listed: \(negative.listed) is not a number of patients from 0 to 10^12")
            }
            let days = unit.listed.map(\.from)
            for day in Set(days) where days.filter({ $0 == day }).count > 1 {
                problems.append("listed: two counts from \(day); give one count per date")
            }
            if !register.contractsOfOthers.isEmpty {
                problems.append("""
                    provider: contract \(register.contractsOfOthers.joined(separator: ", ")) of another provider lists the unit; \
                    change the contract first
                    """)
            }
        case .contract(let contract):
            present(contract.id, "the contract's id"); present(contract.area, "the contract's area")
            if !register.providerExists {
                problems.append("provider: no provider '\(contract.provider.prefix(80))' in the register")
            }
            if !register.boardExists {
                problems.append("board: no board '\(contract.board.prefix(80))' in the register")
            }
            if let end = contract.end, end < contract.start { problems.append("end: \(end) is before the start \(contract.start)") }
            for unit in Set(contract.units) where contract.units.filter({ $0 == unit }).count > 1 {
                problems.append("units: '\(unit.prefix(80))' is listed twice")
            }
            for unit in contract.units {
                guard let owner = register.unitProviders[unit] else {
                    problems.append("units: no unit '\(unit.prefix(80))' in the register")
                    continue
                }
                if owner != contract.provider {
                    problems.append("units: '\(unit.prefix(80))' belongs to provider '\(owner)', not '\(contract.provider)'")
                }
            }
        }
        return problems
    }

    /// The item as it is written over `stored`: a unit given without counts keeps those it
    /// has; one given with counts has exactly those.
    package func keepingCounts(of stored: RegisterItem?) -> RegisterItem {
        guard case .unit(var unit) = self, unit.listed.isEmpty, case .unit(let kept)? = stored else { return self }
        unit.listed = kept.listed
        return .unit(unit)
    }

    /// The item as the register's history keeps it.
    package var json: String {
        get throws {
            switch self {
            case .board(let b): try StoredFields.json(b)
            case .provider(let p): try StoredFields.json(p)
            case .unit(let u): try StoredFields.json(u)
            case .contract(let c): try StoredFields.json(c)
            }
        }
    }
}

/// One put of items into the register, as a store works through it: the items in the order
/// they are written (what a row refers to before it), each one's problems under its line,
/// and what each did, in the order given. Any problem at all and nothing is written.
package struct RegisterBatch {
    package let items: [RegisterItem]
    private let lines: [String]?
    private var problems: [String] = []
    private var outcomes: [(index: Int, outcome: RegisterOutcome)] = []

    package init(_ items: [RegisterItem], lines: [String]?) {
        self.items = items
        self.lines = lines
    }

    /// The items' indexes: boards, then providers, units and contracts, each kind in the order given.
    package var writingOrder: [Int] {
        items.indices.sorted { (items[$0].order, $0) < (items[$1].order, $1) }
    }

    /// Records why item `index` is not written.
    package mutating func refuse(_ index: Int, _ itemProblems: [String]) {
        let at = lines.map { "\($0[index]): " } ?? ""
        problems += itemProblems.map { at + $0 }
    }

    /// Records what writing item `index` did.
    package mutating func wrote(_ index: Int, _ change: RegisterOutcome.Change) {
        outcomes.append((index, RegisterOutcome(item: items[index], change: change, line: lines?[index])))
    }

    /// What each item did, in the order given; or every problem, if there was one.
    package func result() throws(RegisterProblems) -> [RegisterOutcome] {
        guard problems.isEmpty else { throw RegisterProblems(problems) }
        return outcomes.sorted { $0.index < $1.index }.map(\.outcome)
    }
}

/// The unit and contract a case names, as the register has them: checked to exist and to
/// fit together, and what the case takes from them.
package struct RegisterPlacement {
    package let unit: CareUnit?
    package let contract: Contract?

    /// Refuses a unit or contract the register does not have, and a unit that is not the contract's.
    package init(unit unitID: String?, _ unit: CareUnit?, contract contractID: String?, _ contract: Contract?) throws(RegisterProblems) {
        var problems: [String] = []
        if let unitID, unit == nil { problems.append("unit: no unit '\(unitID.prefix(80))' in the register") }
        if let contractID, contract == nil { problems.append("contract: no contract '\(contractID.prefix(80))' in the register") }
        if let unit, let contract, unit.provider != contract.provider || !(contract.units.isEmpty || contract.units.contains(unit.hsaId)) {
            problems.append("unit: '\(unit.hsaId)' is not one of the units of contract '\(contract.id)'")
        }
        guard problems.isEmpty else { throw RegisterProblems(problems) }
        self.unit = unit
        self.contract = contract
    }

    /// The provider whose name the case takes: the unit's, or the contract's when it names no unit.
    package var providerID: String? { unit?.provider ?? contract?.provider }

    /// The workflow's register fields the caller left out, filled: `enhet`, `vardgivare`,
    /// `avtalsomrade`, and `listade` as the unit's count on `today`.
    package func filling(_ given: [String: JSONValue], provider: Provider?, definition: WorkflowDefinition,
                         today: LocalDate) -> [String: JSONValue] {
        var fields = given
        func fill(_ name: String, _ value: JSONValue?) {
            guard fields[name] == nil, let value, definition.field(name) != nil else { return }
            fields[name] = value
        }
        fill("enhet", unit.map { .string($0.name) })
        fill("vardgivare", provider.map { .string($0.name) })
        fill("avtalsomrade", contract.map { .string($0.area) })
        if definition.field("listade")?.type == .integer { fill("listade", unit?.listed(on: today).map(JSONValue.int)) }
        return fields
    }
}

extension TrafficLight {
    /// What is wrong with an assessment: an unknown provider, no comment (`comment` is trimmed), a day still to come.
    package static func problems(providerExists: Bool, provider: String, comment: String, assessedOn: LocalDate, now: Date) -> [String] {
        var problems: [String] = []
        if !providerExists { problems.append("provider: no provider '\(provider.prefix(80))' in the register") }
        if comment.isEmpty { problems.append("comment: the assessment needs a comment that says why") }
        if assessedOn > SwedishCalendar().localDate(of: now) { problems.append("assessedOn: \(assessedOn) is in the future") }
        return problems
    }

    /// Each provider's current light (nil: not assessed), red first, then yellow, green and
    /// not assessed, by name; with the red providers of its group that ask for a look at it (seed 000 ch. 2).
    package static func overview(providers: [Provider],
                                 current: [TrafficLight]) -> [(provider: Provider, light: TrafficLight?, redInGroup: [String])] {
        let lights = Dictionary(uniqueKeysWithValues: current.map { ($0.provider, $0) })
        var redByGroup: [String: [String]] = [:]
        for provider in providers where lights[provider.id]?.colour == .rod {
            if let group = provider.group { redByGroup[group, default: []].append(provider.id) }
        }
        let rank: [TrafficLight.Colour?: Int] = [.rod: 0, .gul: 1, .gron: 2, nil: 3]
        return providers.map { provider in
            (provider, lights[provider.id], provider.group.map { redByGroup[$0, default: []].filter { $0 != provider.id }.sorted() } ?? [])
        }.sorted {
            (rank[$0.light?.colour] ?? 3, $0.provider.name, $0.provider.id) < (rank[$1.light?.colour] ?? 3, $1.provider.name, $1.provider.id)
        }
    }
}
