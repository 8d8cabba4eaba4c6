import Foundation

/// Runs a built executable of this package (judgetop, python3) and captures what it printed.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a chatty child never blocks on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs judgetop and waits on a thread of its own: a blocking wait on the cooperative pool
    /// (two threads on this machine) would starve the in-process simulators the child talks to.
    static func judgetop(_ arguments: [String], home: URL, env: [String: String] = [:]) async throws -> ProcessResult {
        try await runOffPool(judgetop, arguments, environment: environment(home: home, extra: env))
    }

    static func runOffPool(_ path: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(path, arguments, environment: environment) }) }.start()
        }
    }
}

/// A child process left running while the test does something else (signals, cancel).
final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let out = Pipe(), err = Pipe()
    private let lock = NSLock()
    private var stdout = Data(), stderr = Data()
    private let drained = DispatchGroup()

    init(_ path: String, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            drained.enter()
            Thread { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                lock.withLock { if isOut { stdout = data } else { stderr = data } }
                drained.leave()
            }.start()
        }
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits on a thread of its own, never on the cooperative pool.
    func wait() async -> ProcessResult {
        await withCheckedContinuation { continuation in
            Thread { [self] in
                process.waitUntilExit()
                drained.wait()
                let result = lock.withLock {
                    ProcessResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                  stderr: String(decoding: stderr, as: UTF8.self))
                }
                continuation.resume(returning: result)
            }.start()
        }
    }

    var killedBySignal: Bool { process.terminationReason == .uncaughtSignal }
}
