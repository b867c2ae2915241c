import Foundation

/// Draws a workflow's state machine for people: Mermaid (for READMEs and
/// issue trackers) or Graphviz DOT. `bevaka graph FILE` prints it.
public enum WorkflowGraph {
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot
    }

    /// One arrow: from a state to a state (or another workflow) on an event.
    struct Edge: Hashable {
        let from: String
        let to: String
        let label: String
        /// The edge leaves the workflow (a hand-over).
        let external: Bool
    }

    public static func render(_ workflow: WorkflowDefinition, format: Format) -> String {
        switch format {
        case .mermaid: mermaid(workflow)
        case .dot: dot(workflow)
        }
    }

    /// The arrows, in file order, each (from, to, label) once.
    static func edges(_ workflow: WorkflowDefinition) -> [Edge] {
        var edges: [Edge] = []
        for state in workflow.states {
            for event in state.transitions.keys.sorted() {
                for transition in state.transitions[event]! {
                    edges.append(edge(from: state.name, transition, workflow: workflow))
                }
            }
        }
        var seen = Set<Edge>()
        return edges.filter { seen.insert($0).inserted }
    }

    static func edge(from state: String, _ transition: TransitionDefinition, workflow: WorkflowDefinition) -> Edge {
        var label = transition.event
        // Events a deadline raises are the timers' doing.
        let raised = Set(workflow.states.flatMap { $0.deadlines.compactMap(\.raises) })
        if raised.contains(transition.event) { label = "⏰ " + label }
        if transition.reason == .required { label += " (med skäl)" }
        if let opens = transition.opens { label += " ＋ " + opens.workflow }
        if let handOver = transition.handOver {
            return Edge(from: state, to: "→ " + handOver.workflow + (handOver.state.map { "/" + $0 } ?? ""), label: label, external: true)
        }
        return Edge(from: state, to: transition.target ?? state, label: label, external: false)
    }

    /// Lines describing a state beyond its name: deadlines and checklists.
    static func details(_ state: StateDefinition) -> [String] {
        var lines: [String] = []
        for deadline in state.deadlines {
            let when: String = switch deadline.anchor {
            case .field(let field): field
            case .afterEntry(let duration): "\(duration) efter inträde"
            case .afterField(let duration, let field): "\(duration) efter \(field)"
            }
            lines.append("⏰ \(deadline.name): \(when)" + (deadline.raises.map { " → \($0)" } ?? ""))
        }
        for checklist in state.checklists { lines.append("☑ checklista \(checklist)") }
        return lines
    }

    static func mermaidID(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    /// Mermaid's state grammar ends a description at `:` or `;`, so those become full-width.
    static func mermaidText(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: ":", with: "：")
            .replacingOccurrences(of: ";", with: "；").replacingOccurrences(of: "\n", with: " ")
    }

    static func mermaid(_ workflow: WorkflowDefinition) -> String {
        var lines = ["---", "title: \"\(workflow.title.replacingOccurrences(of: "\"", with: "'")) (\(workflow.key))\"", "---", "stateDiagram-v2"]
        for state in workflow.states {
            let id = mermaidID(state.name)
            lines.append("    state \"\(mermaidText(state.name))\" as \(id)")
            for detail in details(state) { lines.append("    \(id) : \(mermaidText(detail))") }
        }
        var external: [String: String] = [:]
        for edge in edges(workflow) where edge.external && external[edge.to] == nil {
            let id = "ext_" + mermaidID(edge.to)
            external[edge.to] = id
            lines.append("    state \"\(mermaidText(edge.to))\" as \(id)")
        }
        lines.append("    [*] --> \(mermaidID(workflow.initialState.name))")
        for edge in edges(workflow) {
            let to = edge.external ? external[edge.to]! : mermaidID(edge.to)
            lines.append("    \(mermaidID(edge.from)) --> \(to) : \(mermaidText(edge.label))")
        }
        for state in workflow.states where state.isFinal {
            lines.append("    \(mermaidID(state.name)) --> [*]")
        }
        if !workflow.anyState.isEmpty {
            let events = workflow.anyState.keys.sorted().joined(separator: ", ")
            lines.append("    note right of \(mermaidID(workflow.initialState.name))")
            lines.append("        I varje öppet tillstånd: \(mermaidText(events))")
            lines.append("    end note")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func dotText(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func dot(_ workflow: WorkflowDefinition) -> String {
        var lines = ["digraph \(dotText(workflow.key.description)) {",
                     "    label=\(dotText(workflow.title)); labelloc=t; rankdir=LR;",
                     "    node [shape=box, style=rounded, fontname=\"Helvetica\"]; edge [fontname=\"Helvetica\", fontsize=10];",
                     "    \"__start\" [shape=point];"]
        for state in workflow.states {
            let label = ([state.name] + details(state)).joined(separator: "\n")
            lines.append("    \(dotText(state.name)) [label=\(dotText(label))\(state.isFinal ? ", peripheries=2" : "")];")
        }
        let all = edges(workflow)
        for target in Set(all.filter(\.external).map(\.to)).sorted() {
            lines.append("    \(dotText(target)) [shape=note, style=dashed];")
        }
        lines.append("    \"__start\" -> \(dotText(workflow.initialState.name));")
        for edge in all {
            lines.append("    \(dotText(edge.from)) -> \(dotText(edge.to)) [label=\(dotText(edge.label))\(edge.external ? ", style=dashed" : "")];")
        }
        if !workflow.anyState.isEmpty {
            lines.append("    \"__anyState\" [shape=note, label=\(dotText("I varje öppet tillstånd: " + workflow.anyState.keys.sorted().joined(separator: ", ")))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
