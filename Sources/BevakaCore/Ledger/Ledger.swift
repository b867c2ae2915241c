import Foundation

/// One month of one accrual segment: what it comes to in money.
public struct LedgerRow: Sendable, Equatable {
    public let accrual: String
    public let seq: Int
    /// `YYYY-MM`.
    public let month: String
    public let from: LocalDate
    /// Last day counted (inclusive).
    public let through: LocalDate
    public let days: Int
    public let daysInMonth: Int
    public let rate: Decimal
    public let quantity: Int
    public let amount: Decimal
    public let currency: String
}

/// Turns accrual segments into monthly amounts.
///
/// A segment counts `[from, until)`; a running one counts through `asOf`.
/// With `days` proration a part month is `rate × quantity × days / days in month`;
/// with `whole-months` every month touched counts in full. Each row is rounded to
/// öre (two decimals), half up.
public enum Ledger {
    public static func monthly(_ segments: [AccrualSegment], asOf: LocalDate, workflow: WorkflowDefinition) -> [LedgerRow] {
        var rows: [LedgerRow] = []
        for segment in segments.sorted(by: { ($0.from, $0.seq) < ($1.from, $1.seq) }) {
            let proration = workflow.accruals.first { $0.name == segment.accrual }?.proration ?? .days
            let last = (segment.until?.adding(days: -1)).map { min($0, asOf) } ?? asOf
            guard last >= segment.from else { continue }
            var monthStart = segment.from.startOfMonth
            while monthStart <= last {
                let daysInMonth = LocalDate.daysIn(month: monthStart.month, year: monthStart.year)
                let monthEnd = LocalDate(year: monthStart.year, month: monthStart.month, day: daysInMonth)
                let from = max(segment.from, monthStart)
                let through = min(last, monthEnd)
                let days = from.days(until: through) + 1
                let units = Decimal(segment.quantity) * segment.rate
                let raw = proration == .days ? units * Decimal(days) / Decimal(daysInMonth) : units
                rows.append(LedgerRow(
                    accrual: segment.accrual, seq: segment.seq,
                    month: String(monthStart.year).leftPadded(to: 4) + "-" + String(monthStart.month).leftPadded(to: 2),
                    from: from, through: through, days: days, daysInMonth: daysInMonth,
                    rate: segment.rate, quantity: segment.quantity, amount: roundToOre(raw), currency: segment.currency))
                monthStart = monthStart.adding(months: 1)
            }
        }
        return rows
    }

    public static func roundToOre(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 2, .plain)
        return result
    }

    /// Sum per month across segments, in month order.
    public static func totalsByMonth(_ rows: [LedgerRow]) -> [(month: String, amount: Decimal)] {
        Dictionary(grouping: rows, by: \.month)
            .map { ($0.key, $0.value.reduce(Decimal(0)) { $0 + $1.amount }) }
            .sorted { $0.0 < $1.0 }
    }

    public static func csv(_ rows: [LedgerRow]) -> String {
        var lines = ["accrual,segment,month,from,through,days,days_in_month,rate,quantity,amount,currency"]
        for row in rows {
            lines.append([row.accrual, String(row.seq), row.month, row.from.description, row.through.description,
                          String(row.days), String(row.daysInMonth), "\(row.rate)", String(row.quantity),
                          format(row.amount), row.currency].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// An amount with exactly two decimals, e.g. `24000.00` (rounded to öre first).
    public static func format(_ amount: Decimal) -> String {
        // Decimal's own text is exact and locale-free ("24000", "-3.5"); only the decimals need padding.
        let text = "\(roundToOre(amount))"
        guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return decimals >= 2 ? text : text + String(repeating: "0", count: 2 - decimals)
    }
}
