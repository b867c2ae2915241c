import BevakaCore
import Foundation
import Testing

// `bevaka graph`: a workflow drawn as Mermaid or Graphviz DOT.

/// `Workflows/` at the package root (BevakaCoreTests does not link BevakaTestSupport).
private let graphWorkflowsFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Workflows").path

/// Every kind of arrow once: a plain one, one only a deadline raises (`timeout`), one
/// that skips a step (`reason: required`), a hand-over, and one to a final state.
private let graphYAML = """
workflow: graf
version: 1
title: "Graf: test"
roles:
  handlaggare: Handläggare
fields:
  note: { type: string }
events:
  go: { roles: [handlaggare] }
  event: { roles: [handlaggare] }
  timeout: {}
  skip: { roles: [handlaggare] }
  lamna: { roles: [handlaggare] }
  notera: { roles: [handlaggare] }
checklists:
  lista:
    items:
      - { id: punkt, title: "En punkt", roles: [handlaggare], due: P1D }
states:
  initialState:
    initial: true
    on:
      go: a
      skip: { to: done, reason: required }
  a:
    checklists: [lista]
    deadlines:
      frist:
        after: P14D
        raises: timeout
    on:
      event: b
      timeout: done
  b:
    on:
      lamna: { handOver: annan }
      go: done
  done:
    final: true
anyState:
  notera: {}

"""

@Suite struct WorkflowGraphTests {
    let workflow: WorkflowDefinition

    init() throws {
        workflow = try WorkflowLoader.load(yaml: graphYAML, path: "graf.yaml")
    }

    func lineList(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    @Test func mermaidDrawsStatesEdgesAndTheStart() {
        let text = WorkflowGraph.render(workflow, format: .mermaid)
        let lines = lineList(text)
        #expect(text.hasSuffix("\n"))
        #expect(lines.prefix(4) == ["---", "title: \"Graf: test (graf@1)\"", "---", "stateDiagram-v2"])
        #expect(lines.contains("    state \"initialState\" as initialState"))
        #expect(lines.contains("    [*] --> initialState"))
        #expect(lines.contains("    initialState --> a : go"))
        #expect(lines.contains("    a --> b : event"))
        #expect(lines.contains("    b --> done : go"))
        // Colons in labels would end the Mermaid label, so they become full-width.
        #expect(lines.contains("    a : ⏰ frist： P14D efter inträde → timeout"))
        #expect(lines.contains("    a : ☑ checklista lista"))
    }

    @Test func mermaidMarksEventsOnlyADeadlineRaisesAndStepsThatNeedAReason() {
        let lines = lineList(WorkflowGraph.render(workflow, format: .mermaid))
        #expect(lines.contains("    a --> done : ⏰ timeout"))
        #expect(lines.contains("    initialState --> done : skip (med skäl)"))
        // People's events carry no clock.
        #expect(!lines.contains { $0.contains("⏰ go") || $0.contains("⏰ event") })
    }

    @Test func mermaidEndsFinalStatesAndDrawsTheHandOverTarget() {
        let lines = lineList(WorkflowGraph.render(workflow, format: .mermaid))
        #expect(lines.contains("    done --> [*]"))
        #expect(lines.filter { $0.hasSuffix("--> [*]") } == ["    done --> [*]"])
        #expect(lines.contains("    state \"→ annan\" as ext___annan"))
        #expect(lines.contains("    b --> ext___annan : lamna"))
        #expect(lines.contains("    note right of initialState"))
        #expect(lines.contains("        I varje öppet tillstånd: notera"))
    }

    @Test func mermaidListsEveryEdgeOnceInFileOrder() {
        let edges = lineList(WorkflowGraph.render(workflow, format: .mermaid)).filter { $0.contains(" --> ") && !$0.contains("[*]") }
        #expect(edges == [
            "    initialState --> a : go",
            "    initialState --> done : skip (med skäl)",
            "    a --> b : event",
            "    a --> done : ⏰ timeout",
            "    b --> done : go",
            "    b --> ext___annan : lamna",
        ])
    }

    @Test func dotDrawsADigraphWithDoubleBordersOnFinalStates() {
        let text = WorkflowGraph.render(workflow, format: .dot)
        let lines = lineList(text)
        #expect(lines.first == "digraph \"graf@1\" {")
        #expect(lines.contains("}"))
        #expect(lines.contains("    \"__start\" -> \"initialState\";"))
        #expect(lines.contains("    \"a\" -> \"b\" [label=\"event\"];"))
        #expect(lines.contains("    \"a\" -> \"done\" [label=\"⏰ timeout\"];"))
        #expect(lines.contains("    \"done\" [label=\"done\", peripheries=2];"))
        #expect(lines.filter { $0.contains("peripheries=2") }.count == 1)
        #expect(lines.contains("    \"b\" [label=\"b\"];"))
        #expect(lines.contains("    \"a\" [label=\"a\\n⏰ frist: P14D efter inträde → timeout\\n☑ checklista lista\"];"))
        // The hand-over target is a dashed note, reached by a dashed arrow.
        #expect(lines.contains("    \"→ annan\" [shape=note, style=dashed];"))
        #expect(lines.contains("    \"b\" -> \"→ annan\" [label=\"lamna\", style=dashed];"))
        #expect(text.contains("->"))
    }

    @Test func everyFormatIsRendered() {
        #expect(WorkflowGraph.Format.allCases.map(\.rawValue) == ["mermaid", "dot"])
        for format in WorkflowGraph.Format.allCases {
            #expect(!WorkflowGraph.render(workflow, format: format).isEmpty)
        }
    }

    // MARK: The shipped Kalmar workflow

    @Test func theKalmarWorkflowIsDrawnWithEveryState() throws {
        let kalmar = try WorkflowLoader.load(path: graphWorkflowsFolder + "/kalmar-sanktionstrappa.yaml")
        #expect(kalmar.states.count >= 9)
        let mermaid = WorkflowGraph.render(kalmar, format: .mermaid)
        let dot = WorkflowGraph.render(kalmar, format: .dot)
        for state in kalmar.states {
            #expect(mermaid.contains("state \"\(state.name)\" as \(state.name)"), "\(state.name)")
            #expect(dot.contains("    \"\(state.name)\" [label=\"\(state.name)"), "\(state.name)")
        }
        let lines = lineList(mermaid)
        #expect(lines.contains("    [*] --> registrerad"))
        #expect(lines.contains("    avslutad --> [*]"))
        #expect(lines.contains("    avtaletHavt --> [*]"))
        #expect(lines.filter { $0.hasSuffix("--> [*]") }.count == 2)
        #expect(dot.components(separatedBy: "peripheries=2").count - 1 == 2)
        // `handlingsplanUteblev` is raised only by the deadline.
        #expect(lines.contains("    vantarHandlingsplan --> beslutOmAtgard : ⏰ handlingsplanUteblev"))
        // Two branches of the escalation go to the same state: drawn once.
        #expect(lines.filter { $0 == "    vantarHandlingsplan --> stallningstagandeHavning : ⏰ handlingsplanUteblev" }.count == 1)
        #expect(lines.contains("    bedomerHandlingsplan --> uppfoljning : godkannHandlingsplan"))
        #expect(lines.contains("    registrerad --> gron : klassificera"))
    }

    // MARK: Every shipped workflow

    static var shippedFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: graphWorkflowsFolder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { graphWorkflowsFolder + "/" + $0 }
    }

    /// The README shows each shipped workflow's picture exactly as `bevaka graph` draws it now.
    @Test(arguments: shippedFiles)
    func theReadmeShowsTheCurrentGraph(_ path: String) throws {
        let readme = try String(contentsOfFile: graphWorkflowsFolder + "/../README.md", encoding: .utf8)
        let mermaid = WorkflowGraph.render(try WorkflowLoader.load(path: path), format: .mermaid)
        #expect(readme.contains("```mermaid\n" + mermaid + "```"),
                "README.md lacks the current graph of \(path); regenerate it with bevaka graph")
    }

    /// Graphviz itself accepts the DOT of every shipped workflow (CI installs graphviz).
    @Test(arguments: shippedFiles)
    func graphvizRendersTheDot(_ path: String) throws {
        let dot = WorkflowGraph.render(try WorkflowLoader.load(path: path), format: .dot)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "dot refused \(path): \(problems)")
        #expect(problems.isEmpty, "dot warned about \(path): \(problems)")
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
    }
}
