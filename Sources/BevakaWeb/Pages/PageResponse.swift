import Foundation
import Hummingbird
import Mustache

/// A page as an HTTP response: a template of `PageTemplates` filled with the page's values
/// and the shared style, sent with the pages' Content-Security-Policy.
enum PageResponse {
    /// The templates, parsed once for the pages that are drawn outside ``WebRoutes`` (the reports).
    static let library: MustacheLibrary? = try? PageTemplates.library()

    static func render(_ library: MustacheLibrary?, _ template: String, _ context: [String: Any],
                       status: HTTPResponse.Status = .ok) -> Response {
        let html = html(library, template, context)
        var response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        response.headers[.contentSecurityPolicy] = PageTemplates.contentSecurityPolicy
        return response
    }

    /// The page's HTML: the template filled with the page's values and the shared style.
    static func html(_ library: MustacheLibrary?, _ template: String, _ context: [String: Any]) -> String {
        var values = clean(context) as? [String: Any] ?? [:]
        values["style"] = PageTemplates.style
        return library?.render(values, withTemplate: template)
            ?? "<!DOCTYPE html><html lang=\"sv\"><title>Fel</title><p>Sidan kunde inte visas.</p></html>"
    }

    /// A page's values without absent ones: Mustache takes an empty text or a nil for
    /// something to show ("nil", "()", "Skäl:" with nothing after it), so they go.
    static func clean(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case let dictionary as [String: Any]:
            var kept: [String: Any] = [:]
            for (key, member) in dictionary { if let member = clean(member) { kept[key] = member } }
            return kept
        case let list as [[String: Any]]: return list.compactMap { clean($0) }
        case let list as [Any]: return list.compactMap { clean($0) }
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional { return mirror.children.first.flatMap { clean($0.value) } }
            return value
        }
    }
}
