import BevakaCore
import BevakaStore
import Foundation
import Synchronization

/// The package's `Workflows/` folder.
let workflowsFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Workflows").path

/// A fresh folder for one test's files, removed by `cleanup()`.
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

func json(_ data: some Sequence<UInt8>) -> JSONValue {
    JSONValue.parse(String(decoding: Array(data), as: UTF8.self)) ?? .null
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }
    var array: [JSONValue] {
        if case .array(let array) = self { return array }
        return []
    }
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
