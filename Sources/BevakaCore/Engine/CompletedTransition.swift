import Foundation

/// A case's transition with everything it leads to worked out by the engines of the
/// workflows involved: a hand-over received by the workflow the case moves into, and the
/// cases it opens (`openCase`), each opened by its own workflow's engine. The store only
/// writes it, in one transaction; it never calls an engine back.
public struct CompletedTransition: Sendable {
    public var transition: Transition
    /// The workflow the case runs on afterwards: another one after a hand-over.
    public var definition: WorkflowDefinition
    /// The cases the transition opens, each to be linked with this one.
    public var linked: [LinkedOpening]

    public init(transition: Transition, definition: WorkflowDefinition, linked: [LinkedOpening] = []) {
        self.transition = transition
        self.definition = definition
        self.linked = linked
    }
}

/// A case opened by another case's transition, and how the two are related.
public struct LinkedOpening: Sendable {
    public var relation: String
    /// The new case's opening, its first history row noting where it came from.
    public var transition: Transition
    public var definition: WorkflowDefinition
}

extension WorkflowCatalog {
    /// Completes a transition of a case on `source`: a hand-over is received by the newest
    /// openable version of the target workflow; every `openCase` effect is opened by its
    /// workflow's engine, with an id from `newCaseID`. Refused, as a whole, when either cannot be done.
    public func complete(_ transition: Transition, from source: WorkflowDefinition, now: Date, actor: Actor,
                         newCaseID: () -> String) throws(EngineError) -> CompletedTransition {
        var completed = CompletedTransition(transition: transition, definition: source)
        if let handOver = transition.handOver {
            guard let target = forOpening(named: handOver.workflow) else {
                throw .handOverRefused(to: handOver.workflow, reasons: ["no workflow named '\(handOver.workflow)' is loaded"])
            }
            completed.transition = try Engine(workflow: target).receive(transition, from: source, now: now, actor: actor)
            completed.definition = target
        }
        let record = completed.transition.record
        for case .openCase(let request) in completed.transition.effects {
            // The opening case's values may not suit the new workflow: then the whole event is refused.
            guard let target = forOpening(named: request.workflow) else {
                throw .evaluationFailed("cannot open the linked \(request.workflow) case: no workflow named '\(request.workflow)' is loaded")
            }
            var opening: Transition
            do {
                opening = try Engine(workflow: target).open(id: newCaseID(), owner: request.owner, fields: request.fields, now: now,
                                                           actor: .bevaka)
            } catch {
                throw .evaluationFailed("cannot open the linked \(request.workflow) case: \(error)")
            }
            opening.history[0].notes.append("opened from case \(record.id) (\(record.workflow)) as \(request.relation)")
            completed.linked.append(LinkedOpening(relation: request.relation, transition: opening, definition: target))
        }
        return completed
    }
}
