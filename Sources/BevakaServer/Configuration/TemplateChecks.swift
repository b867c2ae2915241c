import BevakaCore
import BevakaDelivery

/// Checks the email templates against every notification that sends email,
/// so a missing template or a variable the context lacks is found by
/// `bevaka validate` and at start, not when a reminder is due.
public enum TemplateChecks {
    public static func check(_ templates: TemplateSet, _ definitions: [WorkflowDefinition]) -> [WorkflowDiagnostic] {
        templates.check(TemplateUse.uses(of: definitions)).map {
            WorkflowDiagnostic(file: $0.file, line: $0.line ?? 1, column: $0.column ?? 1, message: $0.message)
        }
    }
}
