import BevakaCore
import BevakaDelivery

/// Checks the email templates against every notification that sends email,
/// so a missing template or a variable the context lacks is found by
/// `bevaka validate` and at start, not when a reminder is due.
public enum TemplateChecks {
    public static func check(_ templates: TemplateSet, _ definitions: [WorkflowDefinition]) -> [WorkflowDiagnostic] {
        var uses: [TemplateUse] = []
        for definition in definitions {
            let fields = Set(definition.fields.filter { !$0.personal }.map(\.name))
            let personal = Set(definition.fields.filter(\.personal).map(\.name))
            for use in definition.notificationUses where !use.notification.to.isEmpty {
                uses.append(TemplateUse(template: use.notification.template ?? "standard", workflow: definition.key.description,
                                        where: use.place, fromDeadline: use.fromDeadline, fields: fields, personalFields: personal))
            }
        }
        return templates.check(uses).map {
            WorkflowDiagnostic(file: $0.file, line: $0.line ?? 1, column: $0.column ?? 1, message: $0.message)
        }
    }
}
