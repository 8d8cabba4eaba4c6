import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a child process printed and how it ended.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A child process started with posix_spawn and reaped with waitpid. Foundation's Process left
/// exited children unreaped here now and then (a zombie, and a test waiting forever), so the tests
/// do not use it. Output goes to files, so no child can block on a full pipe, and no grandchild
/// (a tmux server) can hold a pipe open.
final class Spawned: @unchecked Sendable {
    let pid: pid_t
    private let outPath: String
    private let errPath: String

    init(_ path: String, _ arguments: [String], environment: [String: String]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)").path
        outPath = base + ".out"
        errPath = base + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let words: [String] = [path] + arguments
        let variables: [String] = environment.map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let result = posix_spawn(&child, path, &actions, nil, argv, envp)
        guard result == 0 else { throw TestFailure("cannot start \(path): error \(result)") }
        pid = child
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Blocks until the child ends: its exit status, or 128 + the signal that killed it.
    func waitBlocking() -> ProcessResult {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        return ProcessResult(status: code, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Waits on a thread of its own: a blocking wait on the cooperative pool (two threads on this
    /// machine) would starve the in-process simulators the child talks to.
    func wait() async -> ProcessResult {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.waitBlocking()) }.start()
        }
    }
}

enum Executable {
    /// The folder the test bundle was built into; `judgetop` is built beside it.
    static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("judgetop").path) { return url }
            url.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static var judgetop: String { productsDirectory.appendingPathComponent("judgetop").path }

    /// A clean environment: no provider keys leak in from the machine, and HOME is private.
    static func environment(home: URL, extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path, "LANG": "C.UTF-8"]
        env.merge(extra) { $1 }
        return env
    }

    static func run(_ path: String, _ arguments: [String], environment: [String: String]) throws -> ProcessResult {
        try Spawned(path, arguments, environment: environment).waitBlocking()
    }

    static func runOffPool(_ path: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await Spawned(path, arguments, environment: environment).wait()
    }

    static func judgetop(_ arguments: [String], home: URL, env: [String: String] = [:]) async throws -> ProcessResult {
        try await runOffPool(judgetop, arguments, environment: environment(home: home, extra: env))
    }
}

/// A child process left running while the test does something else (signals, cancel).
typealias RunningProcess = Spawned
