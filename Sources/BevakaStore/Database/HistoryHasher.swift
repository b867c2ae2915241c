import BevakaCore
import Crypto
import Foundation

/// Chains a case's history rows: each row's hash covers its content and the
/// previous row's hash, so an edited or removed row breaks the chain.
enum HistoryHasher {
    static let genesis = String(repeating: "0", count: 64)

    static func hash(previous: String, caseID: String, seq: Int, at: Int64, entry: HistoryEntry, payload: String, notes: String) -> String {
        var members: [String: JSONValue] = [
            "case": .string(caseID), "seq": .int(seq), "at": .int(Int(at)), "actor": .string(entry.actor),
            "role": .string(entry.role), "event": .string(entry.event),
            "from": entry.fromState.map(JSONValue.string) ?? .null, "to": .string(entry.toState),
            "payload": .string(payload), "reason": entry.reason.map(JSONValue.string) ?? .null, "notes": .string(notes),
        ]
        // Only rows that say when they took effect hash it, so every older row keeps its hash.
        if let effective = entry.effectiveAt { members["effectiveAt"] = .int(Int(effective.millis)) }
        let content: JSONValue = .object(members)
        // The previous hash, a newline and the row's canonical JSON, fed to the hash without joining them first.
        var hasher = SHA256()
        for var part in [previous, "\n", content.canonicalText] {
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hasher.finalize().withUnsafeBytes { Hex.lowercase($0) }
    }
}
