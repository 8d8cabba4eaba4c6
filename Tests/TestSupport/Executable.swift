import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a child process printed and how it ended.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// A child process started with posix_spawn and reaped with waitpid. Foundation's Process left
/// exited children unreaped here now and then (a zombie, and a test waiting forever), so the tests
/// do not use it. Output goes to files, so no child can block on a full pipe, and no grandchild
/// (a tmux server) can hold a pipe open.
public final class Spawned: @unchecked Sendable {
    public let pid: pid_t
    private let outPath: String
    private let errPath: String

    public init(_ path: String, _ arguments: [String], environment: [String: String]) throws {
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

    public func signal(_ number: Int32) { kill(pid, number) }

    /// Blocks until the child ends: its exit status, or 128 + the signal that killed it.
    public func waitBlocking() -> ProcessResult {
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
    public func wait() async -> ProcessResult {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.waitBlocking()) }.start()
        }
    }
}

public enum Executable {
    /// The folder the test bundle was built into; `judgetop` is built beside it.
    public static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("judgetop").path) { return url }
            url.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    public static var judgetop: String { productsDirectory.appendingPathComponent("judgetop").path }

    /// A clean environment: no provider keys leak in from the machine, and HOME is private.
    public static func environment(home: URL, extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path, "LANG": "C.UTF-8"]
        env.merge(extra) { $1 }
        return env
    }

    public static func run(_ path: String, _ arguments: [String], environment: [String: String]) throws -> ProcessResult {
        try Spawned(path, arguments, environment: environment).waitBlocking()
    }

    public static func runOffPool(_ path: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await Spawned(path, arguments, environment: environment).wait()
    }

    /// The first python3 on the PATH that has these packages, found once without importing them
    /// (importing scipy blocked a test thread for seconds, and starved the simulators beside it).
    public static func pythonWith(_ packages: [String]) -> String? {
        let probe = "import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)"
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
            if let result = try? Executable.run(candidate, ["-c", probe] + packages, environment: ProcessInfo.processInfo.environment),
               result.status == 0 { return candidate }
        }
        return nil
    }

    public static func judgetop(_ arguments: [String], home: URL, env: [String: String] = [:]) async throws -> ProcessResult {
        try await runOffPool(judgetop, arguments, environment: environment(home: home, extra: env))
    }
}

/// A child process left running while the test does something else (signals, cancel).
public typealias RunningProcess = Spawned
