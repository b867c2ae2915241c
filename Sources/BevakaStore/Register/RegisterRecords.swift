import BevakaCore
import Foundation

/// A board (nämnd) that contracts answer to, e.g. HSNV, HSS.
public struct Board: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

/// A care provider (vårdgivare) and the group (koncern) it belongs to.
public struct Provider: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var group: String?
    public init(id: String, name: String, group: String?) { self.id = id; self.name = name; self.group = group }
}

/// The number of listed patients from a date on.
public struct ListedCount: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var listed: Int
    public init(from: LocalDate, listed: Int) { self.from = from; self.listed = listed }
}

/// A care unit (vårdenhet), keyed by its HSA-id, with listed patients over time.
public struct CareUnit: Sendable, Equatable, Codable {
    public var hsaId: String
    public var name: String
    public var provider: String
    public var listed: [ListedCount]
    public init(hsaId: String, name: String, provider: String, listed: [ListedCount] = []) {
        self.hsaId = hsaId; self.name = name; self.provider = provider; self.listed = listed
    }

    /// Listed patients on `date` (the latest count from that day or before).
    public func listed(on date: LocalDate) -> Int? { listed.filter { $0.from <= date }.max { $0.from < $1.from }?.listed }
}

/// A contract (avtal): its area (VV Vårdcentral, LOU, IOP, …), board, period, team and units.
public struct Contract: Sendable, Equatable, Codable {
    public var id: String
    public var provider: String
    public var area: String
    public var board: String
    public var start: LocalDate
    public var end: LocalDate?
    public var team: String?
    public var units: [String]
    public init(id: String, provider: String, area: String, board: String, start: LocalDate, end: LocalDate?, team: String?, units: [String]) {
        self.id = id; self.provider = provider; self.area = area; self.board = board
        self.start = start; self.end = end; self.team = team; self.units = units
    }

    /// Whether the contract runs on some day of the period.
    public func runs(from first: LocalDate, to last: LocalDate) -> Bool { start <= last && (end.map { $0 >= first } ?? true) }
}

/// The team's assessment of a provider (seed 000 ch. 2): internal to the team.
public struct TrafficLight: Sendable, Equatable, Codable {
    public enum Colour: String, Sendable, Codable, CaseIterable {
        case rod, gul, gron
        /// As people read it.
        public var title: String { switch self { case .rod: "röd"; case .gul: "gul"; case .gron: "grön" } }
    }
    public var provider: String
    public var colour: Colour
    public var assessedOn: LocalDate
    public var comment: String
    public var actor: String
    public var at: Date
    public init(provider: String, colour: Colour, assessedOn: LocalDate, comment: String, actor: String, at: Date) {
        self.provider = provider; self.colour = colour; self.assessedOn = assessedOn; self.comment = comment; self.actor = actor; self.at = at
    }
}

/// One change to the register, kept for ever.
public struct RegisterChange: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var kind: String
    public var key: String
    public var change: String
    public var before: JSONValue?
    public var after: JSONValue

    package init(at: Date, actor: String, kind: String, key: String, change: String, before: JSONValue?, after: JSONValue) {
        self.at = at; self.actor = actor; self.kind = kind; self.key = key; self.change = change; self.before = before; self.after = after
    }
}

/// Why a register change or import wrote nothing: each problem, with its line for an import.
public struct RegisterProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public init(_ problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "; ") }
}
