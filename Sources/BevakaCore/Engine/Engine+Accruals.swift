import Foundation

extension Engine {
    /// Brings each accrual in line with the case after a change.
    ///
    /// The file's policy decides: a new rate replaces the running one from the
    /// accrual's `from` date, or adds to it; a new quantity applies from the
    /// first of the month it is reported in (or that day); leaving the
    /// condition, or reaching a final state, stops it at `until` (or that day).
    /// Segments are then derived afresh, so a rate that starts back in time is
    /// cut by the quantities that were in force then.
    func reconcileAccruals(record: inout CaseRecord, now: Date, effects: inout [Effect], notes: inout [String]) throws(EngineError) {
        let scope = EvaluationScope(workflow: workflow, fields: record.fields, now: now)
        let today = workflow.calendar.localDate(of: now)
        let isFinal = workflow.state(record.state)?.isFinal ?? false
        for accrual in workflow.accruals {
            let before = record.accruals.first { $0.name == accrual.name }
                ?? AccrualState(name: accrual.name, currency: accrual.currency)
            var state = before

            // Keep the quantity's history whenever it can be computed.
            if let expression = accrual.quantity, case .integer(let quantity)? = try? scope.evaluate(expression),
               state.quantities.last?.quantity != quantity {
                let from = state.quantities.isEmpty ? LocalDate.distantPast
                    : accrual.quantityChangesFrom == .monthStart ? today.startOfMonth : today
                // A later report for the same period overrides the earlier one.
                state.quantities.removeAll { $0.from >= from }
                state.quantities.append(QuantityPoint(from: from, quantity: quantity))
                if from != .distantPast { notes.append("accrual \(accrual.name) quantity \(quantity) from \(from)") }
            }

            // Nothing accrues in a final state: no event could ever end it there.
            var active = !isFinal && (accrual.states.isEmpty || accrual.states.contains(record.state))
            if active, let condition = accrual.condition {
                // A condition over unset fields is simply not met yet.
                active = (try? scope.evaluate(condition)) == .boolean(true)
            }
            let running = state.layers.indices.filter { state.layers[$0].until == nil }
            if active {
                if accrual.quantity != nil && state.quantities.isEmpty {
                    _ = try value(accrual.quantity!, scope: scope, what: "times of accrual \(accrual.name)")
                }
                let rate = try decimal(accrual.rate, scope: scope, what: "rate of accrual \(accrual.name)")
                let from = try date(accrual.from, scope: scope, what: "from of accrual \(accrual.name)")
                if running.isEmpty {
                    state.layers.append(RateLayer(from: from, rate: rate))
                    notes.append("accrual \(accrual.name) runs from \(from) at \(rate) \(accrual.currency) per unit and month")
                } else if let last = running.last, rate != state.layers[last].rate {
                    switch accrual.onRateChange {
                    case .replace:
                        let start = max(from, running.map { state.layers[$0].from }.min()!)
                        for index in running { state.layers[index].until = max(start, state.layers[index].from) }
                        state.layers.append(RateLayer(from: start, rate: rate))
                        notes.append("accrual \(accrual.name) rate \(state.layers[last].rate) replaced by \(rate) from \(start)")
                    case .add:
                        state.layers.append(RateLayer(from: from, rate: rate))
                        notes.append("accrual \(accrual.name) adds \(rate) from \(from)")
                    }
                }
            } else if !running.isEmpty {
                var until = today
                if let expression = accrual.until {
                    until = try date(expression, scope: scope, what: "until of accrual \(accrual.name)")
                }
                for index in running { state.layers[index].until = max(until, state.layers[index].from) }
                notes.append("accrual \(accrual.name) stopped \(until)")
            }

            guard state != before else { continue }
            if let index = record.accruals.firstIndex(where: { $0.name == accrual.name }) {
                record.accruals[index] = state
            } else {
                record.accruals.append(state)
            }
            if state.segments != before.segments {
                effects.append(.setSegments(accrual: accrual.name, state.segments))
            }
        }
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
