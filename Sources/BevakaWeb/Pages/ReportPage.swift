import BevakaApplication
import Foundation
import Hummingbird

/// A report (`ReportService`) as a printable Swedish page in the pages' layout, style and
/// Content-Security-Policy. The API's `/reports/…?format=html` answers with it, beside
/// its JSON and CSV of the same report.
public enum ReportPage {
    /// How many rows of a table the page shows: a year's detail list over 100,000 cases is
    /// a file to sort and filter (the CSV), not a page to print.
    static let shownRows = 500

    /// The page of `report`, the menu naming `user` (who asked); `csv` is the same report's
    /// CSV address, linked where a table is longer than the page shows.
    public static func response(_ report: Report, user: String?, csv: String) -> Response {
        PageResponse.render(PageResponse.library, "report", context(report, user: user, csv: csv))
    }

    static func context(_ report: Report, user: String?, csv: String) -> [String: Any] {
        [
            "title": report.title, "scope": report.scope, "user": user ?? "", "csv": csv,
            "tables": report.tables.map { table -> [String: Any] in
                [
                    "id": table.id, "title": table.title, "hasRows": !table.rows.isEmpty,
                    "columns": table.columns.map { ["title": $0.title] },
                    "cut": table.rows.count > shownRows
                        ? "Sidan visar de första \(shownRows) av \(table.rows.count) raderna." : "",
                    "rows": table.rows.prefix(shownRows).map { row -> [String: Any] in
                        ["cells": row.map { cell -> [String: Any] in
                            switch cell {
                            case .text(let text): ["text": text, "number": false]
                            case .count, .money: ["text": cell.text, "number": true]
                            }
                        }]
                    },
                ]
            },
        ]
    }
}
