import Foundation

/// `Tests/Peers/tcp_gate.py`: a loopback port that forwards to `target` until ``close()``
/// drops every connection and refuses new ones, as a network cut or a server gone would;
/// ``open()`` lets connections through again. Stopped when released.
public final class TCPGate: @unchecked Sendable {
    private let process = Process()
    private let commands: FileHandle
    private let answers: FileHandle
    public let port: Int

    public init(target: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersFolder.appendingPathComponent("tcp_gate.py").path, String(target)]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        commands = input.fileHandleForWriting
        answers = output.fileHandleForReading
        let words = readLineFrom(answers).split(separator: " ")
        guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
            throw SinkFailedToStart(description: "tcp_gate.py did not start")
        }
        self.port = port
    }

    /// Drops every forwarded connection and refuses new ones; returns once done.
    public func close() throws { try command("close", answer: "CLOSED") }

    /// Forwards new connections again; returns once it listens.
    public func open() throws { try command("open", answer: "OPENED") }

    private func command(_ word: String, answer: String) throws {
        try commands.write(contentsOf: Data("\(word)\n".utf8))
        let got = readLineFrom(answers)
        guard got == answer else { throw SinkFailedToStart(description: "tcp_gate.py \(word): \(got)") }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
