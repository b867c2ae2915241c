import Foundation

extension Engine {
    /// Brings the running accrual segments in line with the case after a change.
    ///
    /// The file's policy decides: a new rate replaces the running one from the
    /// accrual's `from` date, or adds to it; a new quantity applies from the
    /// first of the month (or the event's day); leaving the condition closes
    /// every running segment at `until` (or the event's day).
    func reconcileAccruals(record: inout CaseRecord, now: Date, effects: inout [Effect], notes: inout [String]) throws(EngineError) {
        let scope = EvaluationScope(workflow: workflow, fields: record.fields, now: now)
        let today = workflow.calendar.localDate(of: now)
        for accrual in workflow.accruals {
            // Nothing accrues in a final state: no event could ever end it there.
            let isFinal = workflow.state(record.state)?.isFinal ?? false
            let inState = !isFinal && (accrual.states.isEmpty || accrual.states.contains(record.state))
            var active = inState
            if active, let condition = accrual.condition {
                // A condition over unset fields is simply not met yet.
                active = (try? scope.evaluate(condition)) == .boolean(true)
            }
            let running = record.openSegments.filter { $0.accrual == accrual.name }
            if !active {
                guard !running.isEmpty else { continue }
                var until = today
                if let expression = accrual.until {
                    until = try date(expression, scope: scope, what: "until of accrual \(accrual.name)")
                }
                for segment in running { close(segment, at: until, record: &record, effects: &effects) }
                notes.append("accrual \(accrual.name) stopped \(until)")
                continue
            }
            let rate = try decimal(accrual.rate, scope: scope, what: "rate of accrual \(accrual.name)")
            var quantity = 1
            if let expression = accrual.quantity {
                guard case .integer(let q) = try value(expression, scope: scope, what: "times of accrual \(accrual.name)") else { continue }
                quantity = q
            }
            let from = try date(accrual.from, scope: scope, what: "from of accrual \(accrual.name)")
            guard let last = running.last else {
                open(accrual, from: from, rate: rate, quantity: quantity, record: &record, effects: &effects)
                notes.append("accrual \(accrual.name) runs from \(from) at \(rate) \(accrual.currency) × \(quantity) per month")
                continue
            }
            if rate != last.rate {
                switch accrual.onRateChange {
                case .replace:
                    let start = max(from, last.from)
                    for segment in running { close(segment, at: max(start, segment.from), record: &record, effects: &effects) }
                    open(accrual, from: start, rate: rate, quantity: quantity, record: &record, effects: &effects)
                    notes.append("accrual \(accrual.name) rate \(last.rate) replaced by \(rate) from \(start)")
                case .add:
                    open(accrual, from: from, rate: rate, quantity: quantity, record: &record, effects: &effects)
                    notes.append("accrual \(accrual.name) adds \(rate) from \(from)")
                }
            } else if quantity != last.quantity {
                let start = accrual.quantityChangesFrom == .monthStart ? today.startOfMonth : today
                for segment in running {
                    let at = max(start, segment.from)
                    close(segment, at: at, record: &record, effects: &effects)
                    open(accrual, from: at, rate: segment.rate, quantity: quantity, record: &record, effects: &effects)
                }
                notes.append("accrual \(accrual.name) quantity \(last.quantity) → \(quantity) from \(max(start, last.from))")
            }
        }
    }

    private func open(_ accrual: AccrualDefinition, from: LocalDate, rate: Decimal, quantity: Int,
                      record: inout CaseRecord, effects: inout [Effect]) {
        let segment = AccrualSegment(accrual: accrual.name, seq: record.nextSegment, from: from, until: nil,
                                     rate: rate, quantity: quantity, currency: accrual.currency)
        record.nextSegment += 1
        record.openSegments.append(segment)
        effects.append(.openSegment(segment))
    }

    private func close(_ segment: AccrualSegment, at until: LocalDate, record: inout CaseRecord, effects: inout [Effect]) {
        record.openSegments.removeAll { $0.accrual == segment.accrual && $0.seq == segment.seq }
        effects.append(.closeSegment(accrual: segment.accrual, seq: segment.seq, until: max(until, segment.from)))
    }

    private func value(_ expression: CheckedExpression, scope: EvaluationScope, what: String) throws(EngineError) -> Value {
        do { return try scope.evaluate(expression) } catch {
            throw .evaluationFailed("cannot compute \(what) (\(expression.source)): \(error)")
        }
    }

    private func decimal(_ expression: CheckedExpression, scope: EvaluationScope, what: String) throws(EngineError) -> Decimal {
        switch try value(expression, scope: scope, what: what) {
        case .integer(let i): return Decimal(i)
        case .decimal(let d): return d
        default: throw .evaluationFailed("\(what) is not a number")
        }
    }

    private func date(_ expression: CheckedExpression, scope: EvaluationScope, what: String) throws(EngineError) -> LocalDate {
        guard case .date(let d) = try value(expression, scope: scope, what: what) else {
            throw .evaluationFailed("\(what) is not a date")
        }
        return d
    }
}
