@testable import BevakaApplication
import Foundation
import Hummingbird
import Testing
@testable import BevakaWeb

/// The printable report: a table longer than a page shows its first rows and links the
/// whole report as CSV; a short one is shown whole, without the link.
@Suite struct ReportPageTests {
    static func report(rows: Int) -> Report {
        Report(id: "board-report", title: "Återrapportering av avtalsuppföljning", scope: "2026", tables: [
            ReportTable(id: "details", title: "Detaljlista", columns: [("provider", "Part"), ("count", "Antal")],
                        rows: (0..<rows).map { [.text("Vårdgivare <\($0)>"), .count($0)] }),
        ])
    }

    static func page(_ report: Report) -> String {
        PageResponse.html(PageResponse.library, "report",
                          ReportPage.context(report, user: "Anna", csv: "/reports/boards?from=2026-01-01&to=2026-12-31&format=csv"))
    }

    @Test func aLongTableShowsItsFirstRowsAndLinksTheCSV() throws {
        let long = Self.page(Self.report(rows: ReportPage.shownRows + 1))
        #expect(long.components(separatedBy: "<tr>").count - 1 == ReportPage.shownRows + 1)  // the header row and 500
        #expect(long.contains("Sidan visar de första 500 av 501 raderna."))
        #expect(long.contains("<a href=\"/reports/boards?from=2026-01-01&amp;to=2026-12-31&amp;format=csv\">Hämta hela rapporten som CSV</a>"))
        #expect(long.contains("Vårdgivare &lt;499&gt;") && !long.contains("Vårdgivare &lt;500&gt;"))

        let short = Self.page(Self.report(rows: ReportPage.shownRows))
        #expect(short.components(separatedBy: "<tr>").count - 1 == ReportPage.shownRows + 1)
        #expect(!short.contains("Hämta hela rapporten som CSV"))
    }
}
