import BevakaCore
import Foundation
import Synchronization

// Shared by the test targets only: temporary folders, a hand-moved clock, the
// shipped workflow folder and small JSON helpers.

/// The package's `Workflows/` folder.
public let workflowsFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Workflows").path

/// Every scenario file in `Workflows/scenarios/`, sorted.
public let scenarioFiles: [String] = {
    let folder = URL(fileURLWithPath: workflowsFolder).appendingPathComponent("scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
}()

/// A fresh folder for one test's files, removed by `cleanup()`.
public struct TemporaryFolder: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    public func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// A wall clock the test moves by hand.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>
    public init(_ start: Date) { current = Mutex(start) }
    public var now: Date { current.withLock { $0 } }
    public func set(_ date: Date) { current.withLock { $0 = date } }
}

/// A Europe/Stockholm wall-clock time `YYYY-MM-DDTHH:MM` as an instant.
public func local(_ text: String) -> Date { Scenario.localInstant(text)! }

public func json(_ data: some Sequence<UInt8>) -> JSONValue {
    JSONValue.parse(String(decoding: Array(data), as: UTF8.self)) ?? .null
}
