@testable import BevakaWeb
import Foundation
import Testing

/// The daemon's own way to run a program (Graphviz for the workflow picture), instead of
/// Foundation's `Process`, whose `run()` can crash a process with many descriptors open.
@Suite struct ChildProcessTests {
    @Test func theInputGoesInAndTheOutputAndStatusComeBack() throws {
        let text = Array(String(repeating: "rad med å, ä och ö\n", count: 2_000).utf8)
        let echoed = try #require(ChildProcess.run("/bin/cat", arguments: [], input: text))
        #expect(echoed.status == 0)
        #expect(echoed.output == text)
        let failed = try #require(ChildProcess.run("/bin/sh", arguments: ["-c", "cat >/dev/null; echo nej; exit 3"], input: text))
        #expect(failed.status == 3)
        #expect(failed.output == Array("nej\n".utf8))
    }

    /// A child that ends without reading its input must not end the daemon with SIGPIPE.
    @Test func aChildThatReadsNothingDoesNotKillTheCaller() throws {
        let big = [UInt8](repeating: 65, count: 4 << 20)
        let ran = try #require(ChildProcess.run("/bin/true", arguments: [], input: big))
        #expect(ran.status == 0)
        #expect(ran.output.isEmpty)
        #expect(ChildProcess.run("/nonexistent/program", arguments: [], input: []) == nil)
    }
}
