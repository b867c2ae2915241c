import BevakaCore
import Foundation

/// What the engine says about a value (in English, for the API), as a page says it to a
/// case officer in Swedish.
enum SwedishProblems {
    static func text(_ problem: String) -> String {
        let lower = problem.lowercased()
        func has(_ part: String) -> Bool { lower.contains(part) }
        if has("required") && !has("reason") { return "Fyll i fältet; det behövs för den här händelsen." }
        if has("expected a date and time") { return "Ange datum och klockslag." }
        if has("expected a date") { return "Ange ett datum som finns, som ÅÅÅÅ-MM-DD (till exempel 2026-03-16)." }
        if has("expected one of") { return "Välj ett av alternativen." }
        if has("expected an integer") || has("expected a whole number") || has("expected integer") { return "Ange ett heltal." }
        if has("expected a number") || has("expected decimal") || has("decimals") { return "Ange ett tal, med kommatecken för decimaler." }
        if has("expected a boolean") || has("expected boolean") { return "Välj ja eller nej." }
        if let range = lower.range(of: "must be at least ") {
            return "Värdet måste vara minst \(problem[range.upperBound...].prefix { $0 != "," })."
        }
        if let range = lower.range(of: "must be at most ") {
            return "Värdet får vara högst \(problem[range.upperBound...].prefix { $0 != "," })."
        }
        if has("in the future") { return "Datumet kan inte ligga i framtiden." }
        if has("before the case was opened") { return "Datumet kan inte ligga före ärendets början." }
        if has("reason") { return "Ange ett skäl; det sparas i ärendets historik." }
        if has("at most") && has("characters") { return "Texten är för lång." }
        if has("control character") { return "Texten innehåller tecken som inte går att spara." }
        return "Värdet går inte att använda (\(problem))."
    }

    /// The names a condition's expression uses (`planSenast`, `begaranSkickad`, `today`).
    static func names(in source: String) -> [String] {
        source.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init).filter { $0.first?.isLetter == true }
    }

    /// A workflow condition (`planSenast > begaranSkickad`) with the fields' titles in place of their names.
    static func condition(_ source: String, definition: WorkflowDefinition?) -> String {
        guard let definition else { return source }
        var out = ""
        var word = ""
        func flush() {
            if let field = definition.field(word), let title = field.title { out += "«\(title)»" } else { out += word }
            word = ""
        }
        for character in source {
            if character.isLetter || character.isNumber || character == "_" { word.append(character) } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out.replacingOccurrences(of: " and ", with: " och ").replacingOccurrences(of: " or ", with: " eller ")
            .replacingOccurrences(of: "today", with: "i dag").replacingOccurrences(of: "isSet(", with: "ifyllt(")
    }
}
