import BevakaCore
import Foundation

/// A report as tables of cells: JSON, CSV and the printable page are all drawn from it.
public struct Report: Sendable {
    public var id: String
    public var title: String
    /// What it covers, e.g. "1 januari 2026 – 31 december 2026, HSNV, VV Vårdcentral".
    public var scope: String
    public var tables: [ReportTable]
}

public struct ReportTable: Sendable {
    public struct Column: Sendable {
        public var id: String
        public var title: String
    }
    public var id: String
    public var title: String
    public var columns: [Column]
    public var rows: [[ReportCell]]

    init(id: String, title: String, columns: [(String, String)], rows: [[ReportCell]]) {
        self.id = id
        self.title = title
        self.columns = columns.map { Column(id: $0.0, title: $0.1) }
        self.rows = rows
    }
}

public enum ReportCell: Sendable, Equatable {
    case text(String)
    case count(Int)
    /// Kronor to the öre.
    case money(Decimal)

    /// As a CSV or a page shows it ("13161.29" for money: finance's systems read a point).
    public var text: String {
        switch self {
        case .text(let text): text
        case .count(let number): String(number)
        case .money(let amount): Ledger.format(amount)
        }
    }

    public var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .count(let number): .int(number)
        case .money(let amount): .string(Ledger.format(amount))
        }
    }
}
