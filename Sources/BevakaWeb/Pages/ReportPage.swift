import BevakaApplication
import Foundation
import Hummingbird

/// A report (`ReportService`) as a printable Swedish page in the pages' layout, style and
/// Content-Security-Policy. The API's `/reports/…?format=html` answers with it, beside
/// its JSON and CSV of the same report.
public enum ReportPage {
    /// The page of `report`, the menu naming `user` (who asked).
    public static func response(_ report: Report, user: String?) -> Response {
        PageResponse.render(PageResponse.library, "report", context(report, user: user))
    }

    static func context(_ report: Report, user: String?) -> [String: Any] {
        [
            "title": report.title, "scope": report.scope, "user": user ?? "",
            "tables": report.tables.map { table -> [String: Any] in
                [
                    "id": table.id, "title": table.title, "hasRows": !table.rows.isEmpty,
                    "columns": table.columns.map { ["title": $0.title] },
                    "rows": table.rows.map { row -> [String: Any] in
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
