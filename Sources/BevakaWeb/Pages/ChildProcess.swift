#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Runs a program to its end with `input` on its standard input and returns its exit status and
/// standard output; standard error goes to /dev/null and no other descriptor of the daemon is
/// inherited. posix_spawn directly, not Foundation's `Process`: on Linux, Swift 6.3.1's
/// `Process.run()` can crash the whole process when many descriptors are open (it over-reads the
/// directory buffer of /proc/self/fd; fixed upstream in swift-corelibs-foundation #5472), and a
/// daemon with a thousand connections open has that many.
enum ChildProcess {
    /// Held from making the pipes to the spawn, so that no other child of ours inherits them
    /// (`pipe2` with O_CLOEXEC is not imported; the daemon spawns nothing else).
    private static let spawning = Mutex(())

    static func run(_ executable: String, arguments: [String], input: [UInt8]) -> (status: Int32, output: [UInt8])? {
        spawning.withLock { _ in spawn(executable, arguments: arguments) }.flatMap { child in finish(child, input: input) }
    }

    private struct Child {
        let pid: pid_t
        let stdin: Int32
        let stdout: Int32
    }

    private static func spawn(_ executable: String, arguments: [String]) -> Child? {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        // Its standard input is a socket, written with MSG_NOSIGNAL: a child that exits without
        // reading all of it must not end the daemon with SIGPIPE.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &toChild) == 0 else { return nil }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            return nil
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            return nil
        }
        return Child(pid: pid, stdin: toChild[1], stdout: fromChild[0])
    }

    private static func finish(_ child: Child, input: [UInt8]) -> (status: Int32, output: [UInt8]) {
        // The input is written whole before the output is read: the programs run here (dot) read
        // all of it first, and a graph is far smaller than a pipe's buffer.
        var written = 0
        input.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = send(child.stdin, bytes.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL))
                if n > 0 { written += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
        close(child.stdin)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(child.stdout, $0.baseAddress, $0.count) }
            if n > 0 { output += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        close(child.stdout)
        var status: Int32 = 0
        while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand (the C macros are not imported).
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }
}
