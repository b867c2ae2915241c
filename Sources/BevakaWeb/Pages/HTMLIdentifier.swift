import Foundation

/// An HTML `id` (and so a link's `#anchor`) made of names that may hold any letter, '-'
/// or '_' (a workflow's checklist and item names, a register's keys): ASCII letters,
/// digits and '-' stay as they are, every other character is written `_hex_`, and the
/// names follow the prefix joined by `__` (which no written character starts, as its hex
/// is never empty). Two different lists of names never give the same id, and an id holds
/// nothing a CSS selector or a URL fragment must escape.
enum HTMLIdentifier {
    static func make(_ prefix: String, _ names: String...) -> String {
        prefix + "-" + names.map(encode).joined(separator: "__")
    }

    static func encode(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || scalar == "-" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "_\(String(scalar.value, radix: 16))_"
            }
        }
        return out
    }
}
