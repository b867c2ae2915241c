import BevakaCore
import Crypto
import Foundation

/// Chains a case's history rows: each row's hash covers its content and the
/// previous row's hash, so an edited or removed row breaks the chain.
public enum HistoryHasher {
    package static let genesis = String(repeating: "0", count: 64)

    package static func hash(previous: String, caseID: String, seq: Int, at: Int64, entry: HistoryEntry, payload: String, notes: String) -> String {
        // The row's canonical JSON (keys sorted, as JSONValue.canonicalText writes it), laid out
        // directly: building and sorting a dictionary for it was two thirds of hashing a row.
        // Only rows that say when they took effect hash it, so every older row keeps its hash.
        var text = ""
        text.reserveCapacity(192 + payload.utf8.count + notes.utf8.count + (entry.reason?.utf8.count ?? 0))
        func member(_ key: String, _ value: String?) {
            text += key
            if let value { JSONValue.appendQuoted(value, to: &text) } else { text += "null" }
        }
        member("{\"actor\":", entry.actor)
        text += ",\"at\":" + String(at)
        member(",\"case\":", caseID)
        if let effective = entry.effectiveAt { text += ",\"effectiveAt\":" + String(effective.millis) }
        member(",\"event\":", entry.event)
        member(",\"from\":", entry.fromState)
        member(",\"notes\":", notes)
        member(",\"payload\":", payload)
        member(",\"reason\":", entry.reason)
        member(",\"role\":", entry.role)
        text += ",\"seq\":" + String(seq)
        member(",\"to\":", entry.toState)
        text += "}"
        // The previous hash, a newline and the row's canonical JSON, fed to the hash without joining them first.
        var hasher = SHA256()
        for var part in [previous, "\n", text] {
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hasher.finalize().withUnsafeBytes { Hex.lowercase($0) }
    }

    /// Whether these history rows, in order, form an intact chain.
    public static func chainIsIntact(_ records: [HistoryRecord], caseID: String) -> Bool {
        var previous = HistoryHasher.genesis
        for record in records {
            let recomputed = HistoryHasher.hash(
                previous: previous, caseID: caseID, seq: record.seq, at: record.entry.at.millis, entry: record.entry,
                payload: record.entry.payload.canonicalText,
                notes: JSONValue.array(record.entry.notes.map(JSONValue.string)).canonicalText)
            guard record.previousHash == previous, record.hash == recomputed else { return false }
            previous = record.hash
        }
        return true
    }
}
