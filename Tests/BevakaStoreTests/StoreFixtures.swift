import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation

/// A store on a real SQLite file in `folder`, running the one workflow `yaml` (saved as `name`.yaml).
func storeRunning(_ yaml: String, named name: String, in folder: TemporaryFolder,
                  now: @escaping @Sendable () -> Date = { Date() }) throws -> CaseStore {
    let workflows = folder.url.appendingPathComponent("workflows")
    try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
    try yaml.write(to: workflows.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    return try CaseStore(path: folder.path("\(name).sqlite"), catalog: try WorkflowLoader.loadDirectory(workflows.path), now: now)
}
