import Foundation
import MultipartKit

/// `multipart/form-data` bodies, as browsers send a form that carries a file (the
/// register's CSV import). Parsed with MultipartKit; the fields are read whole, so a
/// caller bounds the body first (``maximumBody``).
public enum MultipartFormBody {
    /// The most a form with a file may send: two CSV texts of at most 5 MiB (a file and
    /// the previewed text sent back) and the form's small fields.
    public static let maximumBody = 12 << 20

    /// One field of the form: its name and bytes (a file's content for a file input).
    public struct Part: Sendable {
        public var name: String
        public var body: ByteBuffer
        /// A file input's part, even one sent without a file chosen (an empty file name).
        public var isFile: Bool
        public var text: String? { String(validating: body.readableBytesView, as: UTF8.self) }
    }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    public static func boundary(_ contentType: String?) -> String? {
        guard let type = contentType, type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in type.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// The parts in the order sent; throws when the body is not multipart with that boundary.
    public static func parts(_ body: ByteBuffer, boundary: String) throws -> [Part] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers = HTTPHeaders()
        var content = ByteBuffer()
        parser.onHeader = { name, value in headers.replaceOrAdd(name: name, value: value) }
        parser.onBody = { chunk in content.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let part = MultipartPart(headers: headers, body: content)
            let disposition = headers.first(name: "Content-Disposition") ?? ""
            parts.append(Part(name: part.name ?? "", body: content, isFile: disposition.contains("filename=")))
            headers = HTTPHeaders()
            content = ByteBuffer()
        }
        try parser.execute(body)
        return parts
    }

    /// The form's fields that are not files, as text (the last of a name wins, as in ``FormBody``).
    public static func fields(_ body: ByteBuffer, boundary: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for part in try parts(body, boundary: boundary) where !part.isFile {
            fields[part.name] = part.text ?? ""
        }
        return fields
    }
}
