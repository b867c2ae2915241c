import BevakaCore
import Foundation
import Synchronization

/// The workflow drawn as a picture (Graphviz `dot`, the same graph as `bevaka graph`)
/// with the case's state marked, as inline SVG. Drawn once per workflow version and
/// state and kept; without Graphviz installed the page shows none and says so.
final class WorkflowPicture: Sendable {
    private let drawn = Mutex<[String: String]>([:])
    private let dot: String?

    init() {
        dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The SVG, or nil when it cannot be drawn.
    func svg(_ definition: WorkflowDefinition, marking state: String) -> String? {
        let key = "\(definition.key)|\(state)"
        if let kept = drawn.withLock({ $0[key] }) { return kept }
        guard let dot else { return nil }
        var graph = WorkflowGraph.render(definition, format: .dot)
        guard let end = graph.lastIndex(of: "}") else { return nil }
        let name = state.replacingOccurrences(of: "\"", with: "")
        graph.insert(contentsOf: "    \"\(name)\" [style=\"rounded,filled,bold\", fillcolor=\"#ffdd00\", penwidth=3];\n", at: end)
        guard let drawnBy = ChildProcess.run(dot, arguments: ["-Tsvg"], input: Array(graph.utf8)), drawnBy.status == 0,
              var svg = String(validating: drawnBy.output, as: UTF8.self), let start = svg.range(of: "<svg") else { return nil }
        svg = String(svg[start.lowerBound...])
        // Scales to the page (the viewBox stays), instead of Graphviz's fixed size in points.
        if let open = svg.range(of: ">") {
            var head = String(svg[..<open.lowerBound])
            head = head.replacingOccurrences(of: #" width="[0-9.]+pt""#, with: "", options: .regularExpression)
            head = head.replacingOccurrences(of: #" height="[0-9.]+pt""#, with: "", options: .regularExpression)
            svg = head + svg[open.lowerBound...]
        }
        // An image for assistive technology, named in words; the text beside it says the state.
        svg = "<svg role=\"img\" aria-labelledby=\"bild-rubrik\"" + svg.dropFirst("<svg".count)
        drawn.withLock { $0[key] = svg }
        return svg
    }
}
