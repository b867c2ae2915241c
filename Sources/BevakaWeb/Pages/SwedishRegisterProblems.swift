import Foundation

/// What the register says about an import or a change (in English, for the API and the
/// command line), as its page says it in Swedish. A problem keeps its line ("rad 12:")
/// and the CSV's column names, which are the file's own words.
enum SwedishRegisterProblems {
    static func text(_ problem: String) -> String {
        var rest = Substring(problem)
        var line = ""
        if rest.hasPrefix("line "), let colon = rest.firstIndex(of: ":") {
            line = "rad " + rest[rest.index(rest.startIndex, offsetBy: 5)..<colon] + ": "
            rest = rest[rest.index(after: colon)...].drop { $0 == " " }
        }
        let text = sentence(String(rest))
        return line.isEmpty ? text.prefix(1).uppercased() + text.dropFirst() : line + text
    }

    static let kinds = ["board": "en nämnd", "provider": "en vårdgivare", "unit": "en enhet", "contract": "ett avtal"]
    static let subjects = [
        "the board's code": "Nämndens kod", "the board's name": "Nämndens namn", "the provider's id": "Vårdgivarens id",
        "the provider's name": "Vårdgivarens namn", "the unit's HSA-id": "Enhetens HSA-id", "the unit's name": "Enhetens namn",
        "the contract's id": "Avtalets id", "the contract's area": "Avtalets område",
    ]

    /// The patterns, first match wins; `$1`… are the English problem's own values.
    static let patterns: [(NSRegularExpression, String)] = [
        (#"^the file is empty$"#, "filen är tom."),
        (#"^the header has no '(.*)' column \(columns: (.*)\)$"#, "rubrikraden saknar kolumnen '$1' (kolumnerna är $2)."),
        (#"^unknown column '(.*)' \(columns: (.*)\)$"#, "okänd kolumn '$1' (kolumnerna är $2)."),
        (#"^(\d+) cells, the header has (\d+)$"#, "raden har $1 celler, rubrikraden $2."),
        (#"^(\w+): expected a date YYYY-MM-DD, got '(.*)'$"#, "$1: ange ett datum som ÅÅÅÅ-MM-DD, inte '$2'."),
        (#"^listed: expected a whole number of patients, got '(.*)'$"#, "listed: ange antalet listade som ett heltal, inte '$1'."),
        (#"^listedFrom: the date the count holds from is needed with listed$"#, "listedFrom: ange från vilket datum antalet listade gäller."),
        (#"^unit (.*) appears again with another name or provider \(line (\d+)\)$"#, "enheten $1 finns redan på rad $2 med ett annat namn eller en annan vårdgivare."),
        (#"^kind: expected board, provider, unit or contract, got '(.*)'$"#, "kind: ange board, provider, unit eller contract, inte '$1'."),
        (#"^provider: no provider '(.*)' in the register$"#, "vårdgivaren '$1' finns inte i registret."),
        (#"^board: no board '(.*)' in the register$"#, "nämnden '$1' finns inte i registret."),
        (#"^units: no unit '(.*)' in the register$"#, "enheten '$1' finns inte i registret."),
        (#"^unit: no unit '(.*)' in the register$"#, "enheten '$1' finns inte i registret."),
        (#"^units: '(.*)' is listed twice$"#, "enheten '$1' står två gånger i avtalet."),
        (#"^units: '(.*)' belongs to provider '(.*)', not '(.*)'$"#, "enheten '$1' hör till vårdgivaren '$2', inte '$3'."),
        (#"^listed: (-?\d+) is not a number of patients from 0 to 10\^12$"#, "antalet listade ($1) ska vara ett heltal från 0 och uppåt."),
        (#"^listed: two counts from (.*); give one count per date$"#, "två antal listade från $1; ange ett per datum."),
        (#"^provider: contract (.*) of another provider lists the unit; change the contract first$"#,
         "avtal $1 hos en annan vårdgivare tar upp enheten; ändra avtalet först."),
        (#"^end: (.*) is before the start (.*)$"#, "end: slutdatumet $1 ligger före startdatumet $2."),
        (#"^'(.*)' is longer than 400 characters or holds a control character$"#,
         "texten '$1' är längre än 400 tecken eller innehåller ett styrtecken."),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    static func sentence(_ problem: String) -> String {
        let range = NSRange(problem.startIndex..., in: problem)
        for (pattern, template) in patterns where pattern.firstMatch(in: problem, range: range) != nil {
            return pattern.stringByReplacingMatches(in: problem, range: range, withTemplate: template)
        }
        // "name: a unit needs it" (a required cell left empty).
        if problem.hasSuffix(" needs it"), let colon = problem.firstIndex(of: ":") {
            let kind = problem[problem.index(colon, offsetBy: 4)...].dropLast(9)
            return "\(problem[..<colon]): fyll i den; \(kinds[String(kind)] ?? String(kind)) behöver den."
        }
        for (subject, swedish) in subjects {
            if problem == "\(subject) is empty" { return "\(swedish) är tomt." }
            if problem == "\(subject) is longer than 400 characters" { return "\(swedish) är längre än 400 tecken." }
            if problem == "\(subject) holds a control character" { return "\(swedish) innehåller ett styrtecken." }
        }
        return "Registret godtar det inte: \(problem)."
    }
}
