/// Why a template folder could not be loaded. Every case names the file;
/// syntax errors also carry the 1-based line and column (in characters).
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The templates path exists but is not a readable folder.
    case unreadableFolder(path: String, message: String)
    /// A template file could not be read as UTF-8 text.
    case unreadableFile(file: String, message: String)
    /// A `.mustache` file whose name is not `NAME.LANG.mustache` or `NAME.LANG.html.mustache`.
    case badFileName(file: String)
    /// A plain-text template whose first line does not start with `Subject:`.
    case missingSubject(file: String)
    /// A plain-text template whose `Subject:` line has no text.
    case emptySubject(file: String)
    /// A plain-text template whose second line is not empty.
    case missingEmptyLine(file: String)
    /// `NAME.LANG.html.mustache` without the `NAME.LANG.mustache` it is the alternative of.
    case htmlWithoutText(file: String)
    /// swift-mustache could not parse the file.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// More than one of the above, in file order.
    case several([TemplateError])

    /// The single errors, flattened.
    public var errors: [TemplateError] {
        if case .several(let list) = self { return list.flatMap(\.errors) }
        return [self]
    }

    public var description: String {
        switch self {
        case .unreadableFolder(let path, let message):
            return "\(path): cannot read the templates folder: \(message)"
        case .unreadableFile(let file, let message):
            return "\(file): cannot read the template: \(message)"
        case .badFileName(let file):
            return "\(file): a template file is named NAME.LANG.mustache (plain text) or NAME.LANG.html.mustache "
                + "(HTML alternative), e.g. paminnelse.sv.mustache; NAME is letters, digits, '-' and '_', LANG a "
                + "language code such as sv or en"
        case .missingSubject(let file):
            return "\(file):1:1: the first line of a plain-text template must be 'Subject: <subject>'"
        case .emptySubject(let file):
            return "\(file):1:1: the subject is empty: write it after 'Subject:'"
        case .missingEmptyLine(let file):
            return "\(file):2:1: the line after 'Subject:' must be empty; the body starts on line 3"
        case .htmlWithoutText(let file):
            return "\(file): an HTML alternative needs the plain-text template beside it "
                + "(\(TemplateError.textFileName(forHTML: file)))"
        case .syntax(let file, let line, let column, let message):
            return "\(file):\(line):\(column): \(message)"
        case .several(let list):
            return list.map(\.description).joined(separator: "\n")
        }
    }

    static func textFileName(forHTML file: String) -> String {
        let suffix = ".html.mustache"
        guard file.hasSuffix(suffix) else { return file }
        return String(file.dropLast(suffix.count)) + ".mustache"
    }
}
