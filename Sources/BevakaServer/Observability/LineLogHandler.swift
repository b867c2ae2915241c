import BevakaCore
import Foundation
import Logging
import Synchronization

/// One log event per line on standard error, as logfmt (`ts=… level=info
/// msg=timer.fired case.id=…`) or JSON, so the journal and log shippers can
/// search by case id, delivery id or any other metadata key.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }

    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let format: Format
    let write: @Sendable (String) -> Void

    public init(label: String, format: Format, write: @escaping @Sendable (String) -> Void = LineLogHandler.standardError) {
        self.label = label
        self.format = format
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", event.level.rawValue), ("logger", label), ("msg", event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        write(Self.line(fields, format: format))
    }

    static func line(_ fields: [(String, String)], format: Format) -> String {
        switch format {
        case .json:
            let members = fields.map { "\(quoted($0.0)):\(quoted($0.1))" }
            return "{" + members.joined(separator: ",") + "}"
        case .logfmt:
            return fields.map { key, value in
                let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" }
                return "\(key)=" + (plain ? value : quoted(value))
            }.joined(separator: " ")
        }
    }

    /// A JSON string literal (also valid logfmt quoting).
    static func quoted(_ text: String) -> String { JSONValue.string(text).canonicalText }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    private static let lock = Mutex(())

    /// Writes whole lines to standard error, one writer at a time.
    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
