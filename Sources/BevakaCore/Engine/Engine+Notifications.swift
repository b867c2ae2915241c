import Foundation

extension Engine {
    /// Turns notification definitions into outbox effects for the case as it now stands.
    func notify(_ definitions: [NotificationDefinition], defaultType: String, record: CaseRecord, event: String?,
                deadline: String? = nil, dueAt: Date? = nil, effects: inout [Effect], forcedType: String? = nil) {
        for definition in definitions {
            effects.append(.notify(NotificationEffect(
                type: forcedType ?? definition.type ?? defaultType, recipients: definition.to, webhooks: definition.webhooks,
                template: definition.template, urgent: definition.urgent, deadline: deadline, dueAt: dueAt,
                event: event, state: record.state)))
        }
    }

    /// Checks a JSON value against a field's type and bounds.
    func checkedValue(_ json: JSONValue, for field: FieldDefinition) -> Result<Value, FieldProblem> {
        switch FieldValueCoder.decode(json, as: field.type) {
        case .failure(let problem):
            return .failure(FieldProblem(field: field.name, problem: problem.text))
        case .success(let value):
            if field.required, case .string(let text) = value, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
               field.type == .string {
                return .failure(FieldProblem(field: field.name, problem: "required, so it may not be empty"))
            }
            let number: Decimal? = switch value {
            case .integer(let i): Decimal(i)
            case .decimal(let d): d
            default: nil
            }
            if let number, let minimum = field.minimum, number < minimum {
                return .failure(FieldProblem(field: field.name, problem: "must be at least \(minimum), got \(number)"))
            }
            if let number, let maximum = field.maximum, number > maximum {
                return .failure(FieldProblem(field: field.name, problem: "must be at most \(maximum), got \(number)"))
            }
            return .success(value)
        }
    }

    func unknownFieldMessage(_ key: String) -> String {
        let names = workflow.fields.map(\.name)
        return "workflow \(workflow.name) has no field '\(key)'; fields: \(names.joined(separator: ", "))"
    }
}

/// The names an expression can read for one case at one moment: fields,
/// derived values (computed in file order), `today`/`now`, and when the event
/// being applied took effect (`effectiveDate`/`effectiveAt`, else today and now).
struct EvaluationScope {
    let fields: [String: Value]
    let derived: [String: Value]
    let today: LocalDate
    let now: Date
    let effectiveDate: LocalDate
    let effectiveAt: Date

    init(workflow: WorkflowDefinition, fields: [String: Value], now: Date, effective: Date? = nil) {
        self.fields = fields
        self.now = now
        self.today = workflow.calendar.localDate(of: now)
        self.effectiveAt = effective ?? now
        self.effectiveDate = workflow.calendar.localDate(of: effective ?? now)
        var derived: [String: Value] = [:]
        for value in workflow.derived {
            let partial = EvaluationScope(fields: fields, derived: derived, today: today, now: now,
                                          effectiveDate: effectiveDate, effectiveAt: effectiveAt)
            if let result = try? partial.evaluate(value.expression) { derived[value.name] = result }
        }
        self.derived = derived
    }

    private init(fields: [String: Value], derived: [String: Value], today: LocalDate, now: Date,
                 effectiveDate: LocalDate, effectiveAt: Date) {
        self.fields = fields
        self.derived = derived
        self.today = today
        self.now = now
        self.effectiveDate = effectiveDate
        self.effectiveAt = effectiveAt
    }

    func lookup(_ name: String) -> Value? {
        if let value = fields[name] ?? derived[name] { return value }
        switch name {
        case "today": return .date(today)
        case "now": return .datetime(now)
        case "effectiveDate": return .date(effectiveDate)
        case "effectiveAt": return .datetime(effectiveAt)
        default: return nil
        }
    }

    func evaluate(_ expression: CheckedExpression) throws(EvaluationError) -> Value {
        try expression.evaluate(lookup)
    }
}
