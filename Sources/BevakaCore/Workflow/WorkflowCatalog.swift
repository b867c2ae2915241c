/// The loaded workflows, every version kept, so running cases stay on theirs.
public struct WorkflowCatalog: Sendable {
    private var byKey: [WorkflowKey: WorkflowDefinition] = [:]

    public init(_ definitions: [WorkflowDefinition]) {
        for definition in definitions { byKey[definition.key] = definition }
    }

    /// The newest version of each workflow, sorted by name.
    public var latest: [WorkflowDefinition] {
        Dictionary(grouping: byKey.values, by: \.name).values
            .compactMap { $0.max { $0.version < $1.version } }
            .sorted { $0.name < $1.name }
    }

    public var all: [WorkflowDefinition] {
        byKey.values.sorted { ($0.name, $0.version) < ($1.name, $1.version) }
    }

    public func latest(named name: String) -> WorkflowDefinition? {
        byKey.values.filter { $0.name == name }.max { $0.version < $1.version }
    }

    /// The version new cases of `name` open on: the newest one loaded from the
    /// workflow folder. A workflow whose file was removed keeps serving the cases
    /// that run on it, but opens no new ones.
    public func forOpening(named name: String) -> WorkflowDefinition? {
        byKey.values.filter { $0.name == name && !keptForRunningCases.contains($0.key) }.max { $0.version < $1.version }
    }

    /// The names new cases can be opened on.
    public var openableNames: [String] {
        Set(byKey.keys.filter { !keptForRunningCases.contains($0) }.map(\.name)).sorted()
    }

    /// Versions read back from the database only because cases still run on them.
    private var keptForRunningCases: Set<WorkflowKey> = []

    public func definition(_ key: WorkflowKey) -> WorkflowDefinition? { byKey[key] }

    /// This catalog with `definitions` added where their version is not already present,
    /// as versions kept only for the cases running on them (see ``forOpening(named:)``).
    public func adding(_ definitions: [WorkflowDefinition]) -> WorkflowCatalog {
        var copy = self
        for definition in definitions where copy.byKey[definition.key] == nil {
            copy.byKey[definition.key] = definition
            copy.keptForRunningCases.insert(definition.key)
        }
        return copy
    }

    public var names: [String] { Set(byKey.keys.map(\.name)).sorted() }
}
