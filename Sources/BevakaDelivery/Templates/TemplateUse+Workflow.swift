import BevakaCore

extension TemplateUse {
    /// Every place the workflows send email (a notification with `to`), each with
    /// the context its template renders with: a notification without a template
    /// uses `standard`, personal fields are named so a template cannot use them.
    /// What `bevaka validate` and `serve` check the templates against.
    public static func uses(of definitions: [WorkflowDefinition]) -> [TemplateUse] {
        var uses: [TemplateUse] = []
        for definition in definitions {
            let fields = Set(definition.fields.filter { !$0.personal }.map(\.name))
            let personal = Set(definition.fields.filter(\.personal).map(\.name))
            for use in definition.notificationUses where !use.notification.to.isEmpty {
                uses.append(TemplateUse(template: use.notification.template ?? "standard", workflow: definition.key.description,
                                        where: use.place, fromDeadline: use.fromDeadline, fields: fields, personalFields: personal))
            }
        }
        return uses
    }
}
