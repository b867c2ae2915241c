import BevakaCore
import BevakaStore
import Foundation
import Synchronization

/// The package's `Workflows/` folder.
let workflowsFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Workflows").path

/// A fresh folder for one test's SQLite file, removed by `cleanup()`.
struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// A wall clock the test moves by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

func local(_ text: String) -> Date { Scenario.localInstant(text)! }

let officer = Actor(name: "anna", role: "handlaggare")
let decider = Actor(name: "bo", role: "beslutsfattare")
