import Foundation
import TestSupport
import Testing

/// Every deterministic statistic of a simulated run's report.json, recomputed from its items CSV
/// with statsmodels, scipy and ppi_py (`Scripts/statistics_crosscheck.py`), agrees to 1e-6.
@Suite struct StatisticsCrossCheckTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/statistics_crosscheck.py")

    /// A python3 that has the three libraries (`.ci/run` installs them).
    static let python = Executable.pythonWith(["statsmodels", "scipy", "ppi_py"])

    @Test(.enabled(if: python != nil, "skipped: needs python3 with statsmodels, scipy and ppi_py (pip install statsmodels scipy ppi-python)"))
    func reportAgreesWithStandardLibraries() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
        let report = home.appendingPathComponent("report.json")
        let run = try await Executable.judgetop(["run", "--headless", "--limit", "600", "--report-json", report.path, "--runs-dir", runs.path], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(run.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        let csv = try await Executable.judgetop(["report", id, "--format", "csv", "--runs-dir", runs.path], home: home)
        let items = home.appendingPathComponent("items.csv")
        try csv.stdout.write(to: items, atomically: true, encoding: .utf8)
        let check = try await Executable.runOffPool(Self.python!, [Self.script.path, report.path, items.path],
                                                    environment: ProcessInfo.processInfo.environment)
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("figures checked, 0 differ"))
    }
}
