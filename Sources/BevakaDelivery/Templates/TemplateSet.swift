import Foundation
import Mustache

/// One email, rendered: a one-line subject, the plain-text body and, when the
/// template has one, the HTML alternative.
public struct RenderedMail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String?

    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// The email templates of one `templates/` folder.
///
/// Template `NAME` in language `LANG` is the file `NAME.LANG.mustache`: a first
/// line `Subject: <mustache>`, one empty line, then the plain-text body. The
/// plain text (subject and body) is rendered without HTML escaping. An optional
/// `NAME.LANG.html.mustache` is the HTML alternative, escaped as usual. Swedish
/// (`sv`) is the language every template must have; the others are optional
/// and fall back to Swedish.
public struct TemplateSet: Sendable {
    /// The Swedish language code, the one every template must have.
    public static let requiredLanguage = "sv"
    /// The template used by notifications that name none.
    public static let defaultTemplateName = "standard"

    /// The folder the set was loaded from (it need not exist).
    public let folder: URL
    /// name → language → files of that language.
    let templates: [String: [String: Language]]

    /// One language of one template.
    struct Language: Sendable {
        let text: TextFile
        let html: SourceFile?
    }

    /// A plain-text template file: subject and body are separate templates.
    struct TextFile: Sendable {
        let path: String
        let subject: MustacheTemplate
        let body: MustacheTemplate
        /// The subject's mustache text and where it starts in the file.
        let subjectSource: Segment
        let bodySource: Segment
    }

    struct SourceFile: Sendable {
        let path: String
        let template: MustacheTemplate
        let source: Segment
    }

    /// A piece of a file's text with the 1-based position of its first character.
    struct Segment: Sendable {
        let text: String
        let line: Int
        let column: Int
    }

    /// No templates (a daemon that sends no email).
    public init() {
        self.init(folder: URL(fileURLWithPath: "/dev/null"), templates: [:])
    }

    init(folder: URL, templates: [String: [String: Language]]) {
        self.folder = folder
        self.templates = templates
    }

    // MARK: Loading

    /// Reads every `*.mustache` file of `folder` (not its subfolders). A folder
    /// that does not exist gives an empty set. All problems found are thrown at
    /// once (`.several` when there is more than one), in file-name order.
    public static func load(folder: URL) throws(TemplateError) -> TemplateSet {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            return TemplateSet(folder: folder, templates: [:])
        }
        guard isDirectory.boolValue else {
            throw .unreadableFolder(path: folder.path, message: "it is a file, not a folder")
        }
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .unreadableFolder(path: folder.path, message: error.localizedDescription)
        }

        var errors: [TemplateError] = []
        var texts: [String: [String: TextFile]] = [:]
        var htmls: [String: [String: SourceFile]] = [:]
        for entry in entries.sorted() where entry.hasSuffix(".mustache") && !entry.hasPrefix(".") {
            let path = folder.appendingPathComponent(entry).path
            guard let (name, language, isHTML) = parseFileName(entry) else {
                errors.append(.badFileName(file: path))
                continue
            }
            let source: String
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                guard let decoded = String(data: data, encoding: .utf8) else {
                    errors.append(.unreadableFile(file: path, message: "not UTF-8 text"))
                    continue
                }
                source = decoded
            } catch {
                errors.append(.unreadableFile(file: path, message: error.localizedDescription))
                continue
            }
            do throws(TemplateError) {
                if isHTML {
                    htmls[name, default: [:]][language] = try loadHTML(source, path: path)
                } else {
                    texts[name, default: [:]][language] = try loadText(source, path: path)
                }
            } catch {
                errors.append(error)
            }
        }

        var templates: [String: [String: Language]] = [:]
        for (name, languages) in texts {
            for (language, text) in languages {
                templates[name, default: [:]][language] = Language(text: text, html: htmls[name]?[language])
            }
        }
        for (name, languages) in htmls {
            for (language, html) in languages where texts[name]?[language] == nil {
                errors.append(.htmlWithoutText(file: html.path))
            }
        }

        errors.sort { $0.sortKey < $1.sortKey }
        if errors.count == 1 { throw errors[0] }
        if errors.count > 1 { throw .several(errors) }
        return TemplateSet(folder: folder, templates: templates)
    }

    /// `NAME.LANG.mustache` or `NAME.LANG.html.mustache` → (NAME, LANG, isHTML).
    static func parseFileName(_ file: String) -> (String, String, Bool)? {
        var stem = String(file.dropLast(".mustache".count))
        let isHTML = stem.hasSuffix(".html")
        if isHTML { stem = String(stem.dropLast(".html".count)) }
        guard let dot = stem.lastIndex(of: ".") else { return nil }
        let name = String(stem[..<dot])
        let language = String(stem[stem.index(after: dot)...])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
              (2...3).contains(language.count), language.allSatisfy({ ("a"..."z").contains($0) })
        else { return nil }
        return (name, language, isHTML)
    }

    /// The pragma that switches swift-mustache to plain text (no escaping). It
    /// stands alone on a line of its own, so the parser drops that line whole.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    static func loadText(_ raw: String, path: String) throws(TemplateError) -> TextFile {
        let source = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let firstBreak = source.firstIndex(of: "\n") ?? source.endIndex
        let firstLine = source[..<firstBreak]
        let prefix = "Subject:"
        guard firstLine.hasPrefix(prefix) else { throw .missingSubject(file: path) }
        let afterPrefix = firstLine.dropFirst(prefix.count)
        let subjectText = afterPrefix.drop(while: { $0 == " " || $0 == "\t" })
        guard !subjectText.trimmingCharacters(in: .whitespaces).isEmpty else { throw .emptySubject(file: path) }
        let subjectColumn = firstLine.count - subjectText.count + 1
        var body = ""
        if firstBreak < source.endIndex {
            let rest = source[source.index(after: firstBreak)...]
            if !rest.isEmpty {
                guard rest.first == "\n" else { throw .missingEmptyLine(file: path) }
                body = String(rest.dropFirst())
            }
        } else {
            throw .missingEmptyLine(file: path)
        }
        let subjectSegment = Segment(text: String(subjectText), line: 1, column: subjectColumn)
        let bodySegment = Segment(text: body, line: 3, column: 1)
        return TextFile(
            path: path,
            subject: try parse(subjectSegment, path: path, plainText: true),
            body: try parse(bodySegment, path: path, plainText: true),
            subjectSource: subjectSegment, bodySource: bodySegment)
    }

    static func loadHTML(_ raw: String, path: String) throws(TemplateError) -> SourceFile {
        let segment = Segment(text: raw.replacingOccurrences(of: "\r\n", with: "\n"), line: 1, column: 1)
        return SourceFile(path: path, template: try parse(segment, path: path, plainText: false), source: segment)
    }

    /// Parses with swift-mustache, mapping its error position back to the file.
    static func parse(_ segment: Segment, path: String, plainText: Bool) throws(TemplateError) -> MustacheTemplate {
        // swift-mustache parses set-delimiter tags, but the checker's scanner (and
        // most readers) would be lost after one, so they are refused here.
        for tag in TagScanner.scan(segment) where tag.kind == .setDelimiter {
            throw .syntax(file: path, line: tag.line, column: tag.column,
                          message: "changing the delimiters ({{=<% %>=}}) is not supported in email templates; use {{ }}")
        }
        do {
            return try MustacheTemplate(string: plainText ? textPragma + segment.text : segment.text)
        } catch let error as MustacheTemplate.ParserError {
            var line = error.context.lineNumber
            if plainText { line = max(1, line - 1) }
            let column = line == 1 ? segment.column - 1 + error.context.columnNumber : error.context.columnNumber
            throw .syntax(file: path, line: segment.line + line - 1, column: column,
                          message: describe(error.error))
        } catch {
            throw .syntax(file: path, line: segment.line, column: segment.column, message: "\(error)")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else {
            if "\(error)" == "overflow" { return "the template ends inside a tag: close it with }}" }
            return "\(error)"
        }
        switch error {
        case .sectionCloseNameIncorrect:
            return "this closing tag does not match the section it closes"
        case .unfinishedName:
            return "unfinished tag or invalid name: a name is letters, digits, '.', '-', '_', and the tag ends with }}"
        case .expectedSectionEnd:
            return "a section is not closed: end it with {{/name}}"
        case .invalidSetDelimiter:
            return "invalid set-delimiter tag"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "template inheritance is not supported in email templates"
        case .invalidConfigVariableSyntax:
            return "invalid pragma: the only one is {{% CONTENT_TYPE: TEXT}} (or HTML)"
        case .unrecognisedConfigVariable:
            return "unknown pragma: the only one is {{% CONTENT_TYPE: TEXT}} (or HTML)"
        }
    }

    // MARK: Queries and rendering

    /// The names of all templates (in any language).
    public func names() -> Set<String> {
        Set(templates.keys)
    }

    /// The languages of one template, Swedish first, then alphabetically.
    public func languages(of name: String) -> [String] {
        guard let languages = templates[name] else { return [] }
        return languages.keys.sorted { lhs, rhs in
            if lhs == Self.requiredLanguage || rhs == Self.requiredLanguage { return lhs == Self.requiredLanguage }
            return lhs < rhs
        }
    }

    /// Renders template `name` in `language`, or in Swedish when the template has
    /// no such language. Nil when there is neither.
    public func render(_ name: String, language: String, context: [String: Any]) -> RenderedMail? {
        guard let languages = templates[name],
              let chosen = languages[language] ?? languages[Self.requiredLanguage]
        else { return nil }
        let subject = chosen.text.subject.render(context)
            .replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        return RenderedMail(subject: subject, text: chosen.text.body.render(context),
                            html: chosen.html?.template.render(context))
    }
}

extension TemplateError {
    var sortKey: String {
        switch self {
        case .unreadableFolder(let path, _): return path
        case .unreadableFile(let file, _), .badFileName(let file), .missingSubject(let file), .emptySubject(let file),
             .missingEmptyLine(let file), .htmlWithoutText(let file):
            return file
        case .syntax(let file, let line, let column, _):
            return "\(file)\u{0}\(String(format: "%08d%08d", line, column))"
        case .several(let list): return list.first?.sortKey ?? ""
        }
    }
}
