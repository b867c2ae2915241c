// Fuzzes the workflow loader: YAML (Yams) and every check the loader makes,
// including the expressions, durations and dates embedded in the file.
//
// `bevaka validate` and `serve` read workflow files that people edit by hand,
// so any text must end in a definition or diagnostics, never in a trap, a
// hang or memory that grows with aliases. A workflow that loads must also
// run: it is drawn, a case is opened on it and walked a few steps (events and
// timers), so the durations, guards and `set` expressions the file declares
// are computed as the daemon would compute them.
import BevakaCore
import Foundation
import FuzzDriver

@main
enum Fuzzer {
    static func main() {
        runLibFuzzer { data, size in data.map { fuzz($0, size) } ?? 0 }
    }
}

/// A fixed "now", a Monday afternoon, so every run computes the same deadlines.
private let now = Date(timeIntervalSince1970: 1_790_000_000)

/// `FUZZ_VERBOSE=1` prints why a file did not load and each step of the walk,
/// to check that a seed gets as far as intended.
private let verbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] != nil

private func trace(_ message: @autoclosure () -> String) {
    if verbose { print("fuzz-workflow: " + message()) }
}

/// Enough steps to pass through a ladder's first states and their deadlines,
/// few enough to keep each input fast.
private let maximumSteps = 8

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let yaml = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let workflow: WorkflowDefinition
    do {
        workflow = try WorkflowLoader.load(yaml: yaml, path: "fuzz.yaml")
    } catch {
        trace("not loaded: \(error.diagnostics.prefix(3).map(\.description))")
        return 0
    }
    _ = WorkflowGraph.render(workflow, format: .mermaid)
    _ = WorkflowGraph.render(workflow, format: .dot)
    // The input's hash picks the walk's path: the same file always walks the
    // same way, and mutations of it try other paths through the same states.
    let hash = UnsafeBufferPointer(start: data, count: size)
        .reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }  // FNV-1a
    var choices = Choices(seed: hash)
    walk(workflow, &choices)
    return 0
}

/// Opens a case with a plausible value in every field that may be given at
/// opening, then takes one of the case's allowed events or fires its earliest
/// timer, as `choices` says. Refusals are fine: only traps and hangs are findings.
private func walk(_ workflow: WorkflowDefinition, _ choices: inout Choices) {
    let engine = Engine(workflow: workflow)
    let opener = Actor(name: "fuzz", role: workflow.roles.first?.name ?? "fuzz")
    var fields: [String: JSONValue] = [:]
    for (index, field) in workflow.fields.enumerated() where field.settableAtOpening {
        fields[field.name] = sample(field.type, index)
    }
    let opened: Transition
    do {
        opened = try engine.open(id: "fuzz-1", owner: "fuzz", fields: fields, now: now, actor: opener)
    } catch {
        trace("not opened: \(error)")
        return
    }
    trace("opened in \(opened.record.state)")
    var record = opened.record
    var timers = opened.effects.compactMap(\.timer)
    var clock = now
    _ = engine.derivedValues(of: record, now: clock)

    for _ in 0..<maximumSteps {
        let events = engine.allowedEvents(for: record)
        if !events.isEmpty, timers.isEmpty || choices.next(3) > 0 {
            let event = events[choices.next(events.count)]
            var payload: [String: JSONValue] = [:]
            for entry in event.payload {
                if let index = workflow.fields.firstIndex(where: { $0.name == entry.field }) {
                    payload[entry.field] = sample(workflow.fields[index].type, index)
                }
            }
            let actor = Actor(name: "fuzz", role: event.roles.first ?? "fuzz")
            let next: Transition
            do {
                next = try engine.apply(event: event.name, payload: payload, reason: "fuzz", to: record, now: clock, actor: actor)
            } catch {
                trace("\(event.name) refused: \(error)")
                continue
            }
            record = next.record
            trace("\(event.name) → \(record.state)")
            timers += next.effects.compactMap(\.timer)
        } else if let index = timers.indices.min(by: { timers[$0].dueAt < timers[$1].dueAt }) {
            // Stale timers (of a state left or a deadline moved) are fired too:
            // the daemon may hold them after a restart, and must ignore them.
            let timer = timers.remove(at: index)
            clock = max(clock, timer.dueAt)
            guard let next = engine.fire(timer, on: record, now: clock) else { continue }
            record = next.record
            trace("timer \(timer.deadline) \(timer.kind) at \(timer.dueAt) → \(record.state)")
            timers += next.effects.compactMap(\.timer)
        }
        _ = engine.derivedValues(of: record, now: clock)
    }
}

/// A value of `type` as a request would carry it; the `index`-th field gets
/// the `index`-th enum value, so guards such as `a != b` can hold, and dates
/// fall both after and before `now`.
private func sample(_ type: ValueType, _ index: Int) -> JSONValue {
    switch type {
    case .string: .string("x\(index)")
    case .integer: .int(index + 1)
    case .decimal: .number(2.5)
    case .boolean: .bool(index % 2 == 0)
    case .date: .string(index % 2 == 0 ? "2026-12-01" : "2026-09-01")  // after or before `now`
    case .datetime: .string("2026-12-01T09:00:00+01:00")
    case .duration: .string("P14D")
    case .enumeration(let values): values.isEmpty ? .string("x") : .string(values[index % values.count])
    case .stringList: .array([.string("x")])
    }
}

/// A small deterministic generator (SplitMix64), so an input always takes the same walk.
private struct Choices {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// A number from 0 to `count - 1`.
    mutating func next(_ count: Int) -> Int {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return Int((z ^ (z >> 31)) % UInt64(count))
    }
}

extension Effect {
    fileprivate var timer: TimerSpec? {
        if case .scheduleTimer(let timer) = self { return timer }
        return nil
    }
}
