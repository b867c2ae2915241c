import BevakaApplication
import BevakaCore
import BevakaStore
import BevakaWeb
import Foundation
import Hummingbird

/// `/reports/…`: the boards' report, finance's deduction list and the care-referral
/// statistics, each as JSON, CSV (`format=csv`) or a printable Swedish page (`format=html`).
struct ReportRoutes: Sendable {
    let reports: ReportService
    let now: @Sendable () -> Date

    func add(to router: Router<BevakaRequestContext>) {
        router.get("/reports/boards") { request, context in try await boards(request, context) }
        router.get("/reports/deductions") { request, context in try await deductions(request, context) }
        router.get("/reports/care-referral") { request, context in try await careReferral(request, context) }
    }

    enum Format: String, CaseIterable { case json, csv, html }

    /// The period (`from`, `to`: dates, both included; default the current calendar year) and the format.
    func period(_ request: Request, into problems: inout [FieldProblem]) -> ReportService.Period {
        let today = SwedishCalendar().localDate(of: self.now())
        func day(_ name: String, _ fallback: LocalDate) -> LocalDate {
            guard let text = request.uri.queryParameters[Substring(name)] else { return fallback }
            guard let date = LocalDate(iso: String(text)) else {
                problems.append(FieldProblem(field: name, problem: "expected YYYY-MM-DD, got '\(text.prefix(40))'"))
                return fallback
            }
            return date
        }
        let from = day("from", LocalDate(year: today.year, month: 1, day: 1))
        let to = day("to", LocalDate(year: today.year, month: 12, day: 31))
        if to < from { problems.append(FieldProblem(field: "to", problem: "the period ends (\(to)) before it starts (\(from))")) }
        return ReportService.Period(from: from, to: to)
    }

    func format(_ request: Request, into problems: inout [FieldProblem]) -> Format {
        guard let text = request.uri.queryParameters["format"] else { return .json }
        guard let format = Format(rawValue: String(text)) else {
            problems.append(FieldProblem(field: "format", problem: "must be json, csv or html, got '\(text.prefix(40))'"))
            return .json
        }
        return format
    }

    func boards(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller()
        var problems = RequestInput.unknownParameters(request, known: ["from", "to", "board", "area", "format"])
        let period = period(request, into: &problems)
        let format = format(request, into: &problems)
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let query = request.uri.queryParameters
        // Empty is all, as the reports page's "Alla" sends it (no board or area is named "").
        func filter(_ name: String) -> String? { query[Substring(name)].flatMap { $0.isEmpty ? nil : String($0) } }
        let report = try await reports.boardReport(period, board: filter("board"), area: filter("area"), by: caller)
        return ReportRendering.response(report, format, request, user: caller.principal.name)
    }

    func deductions(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller()
        var problems = RequestInput.unknownParameters(request, known: ["from", "to", "format"])
        let format = format(request, into: &problems)
        let today = SwedishCalendar().localDate(of: self.now())
        func month(_ name: String) -> String {
            guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return String(today.description.prefix(7)) }
            guard text.count == 7, LocalDate(iso: text + "-01") != nil else {
                problems.append(FieldProblem(field: name, problem: "expected a month YYYY-MM, got '\(text.prefix(40))'"))
                return String(today.description.prefix(7))
            }
            return text
        }
        let from = month("from")
        let to = month("to")
        if to < from { problems.append(FieldProblem(field: "to", problem: "the months end (\(to)) before they start (\(from))")) }
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        return ReportRendering.response(try await reports.deductions(months: from...to, asOf: today, by: caller), format, request, user: caller.principal.name)
    }

    func careReferral(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller()
        var problems = RequestInput.unknownParameters(request, known: ["from", "to", "format"])
        let period = period(request, into: &problems)
        let format = format(request, into: &problems)
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        return ReportRendering.response(try await reports.careReferral(period, by: caller), format, request, user: caller.principal.name)
    }
}

/// A report drawn as JSON, CSV or a printable page (BevakaWeb's, in the pages' layout).
enum ReportRendering {
    /// - Parameter user: who asked, named in the page's menu.
    static func response(_ report: Report, _ format: ReportRoutes.Format, _ request: Request, user: String?) -> Response {
        switch format {
        case .json:
            return JSONBody.response(json(report))
        case .csv:
            var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: csv(report))))
            response.headers[.contentType] = "text/csv; charset=utf-8"
            response.headers[.contentDisposition] = "attachment; filename=\"\(report.id).csv\""
            return response
        case .html:
            return ReportPage.response(report, user: user, csv: csvAddress(request))
        }
    }

    static func json(_ report: Report) -> JSONValue {
        .object(["id": .string(report.id), "title": .string(report.title), "scope": .string(report.scope),
                 "tables": .array(report.tables.map { table in
                     .object(["id": .string(table.id), "title": .string(table.title),
                              "columns": .array(table.columns.map { .object(["id": .string($0.id), "title": .string($0.title)]) }),
                              "rows": .array(table.rows.map { row in
                                  .object(Dictionary(uniqueKeysWithValues: zip(table.columns, row).map { ($0.id, $1.json) }))
                              })])
                 })])
    }

    /// One table: its header row and rows. Several: each after a line with its title, a blank line between.
    /// The same report as CSV: the request's address with `format=csv`.
    static func csvAddress(_ request: Request) -> String {
        var query = request.uri.queryParameters.filter { $0.key != "format" }.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }.map { key, value in
            "\(String(key).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")=\(String(value).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        query.append("format=csv")
        return request.uri.path + "?" + query.joined(separator: "&")
    }

    static func csv(_ report: Report) -> String {
        if report.tables.count == 1, let table = report.tables.first {
            return CSV.line(table.columns.map(\.title)) + table.rows.map { CSV.line($0.map(\.text)) }.joined()
        }
        return report.tables.map { table in
            CSV.line([table.title]) + CSV.line(table.columns.map(\.title)) + table.rows.map { CSV.line($0.map(\.text)) }.joined()
        }.joined(separator: "\r\n")
    }
}
