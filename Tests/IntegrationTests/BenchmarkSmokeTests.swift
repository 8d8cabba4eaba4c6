import Foundation
import TestSupport
import Testing

/// The benchmarks never decide a test's outcome by their figures; these only check that they start
/// and print every figure (the quick sizes are a hundredth of the real ones).
@Suite struct BenchmarkSmokeTests {
    @Test func hotPathBenchmarkPrintsEveryFigure() async throws {
        let bench = Executable.productsDirectory.appendingPathComponent("judgetop-bench").path
        let result = try await Executable.runOffPool(bench, ["--quick", "--runs", "1"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        for figure in ["build 1000 base request lines", "build 1000 judge request lines", "parse 1000 output lines",
                       "store 1000 dataset rows", "plan 1000 pending requests", "store 1000 answers", "read 1000 dataset rows",
                       "report on 1000 rows", "dashboard refresh from the store, 1000 rows", "dashboard key + frame 140×45, 10000 rows"] {
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(figure) }
            let numbers = line.map { $0.split(separator: " ").compactMap { Double($0) } } ?? []
            #expect(numbers.count >= 3 && numbers.allSatisfy { $0 >= 0 }, "no figure for \(figure) in:\n\(result.stdout)")
        }
    }

    @Test func benchmarkScriptsParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for script in ["run.sh", "online.sh", "lib.sh"] {
            let path = root.appendingPathComponent("Benchmarks/\(script)").path
            let result = try Executable.run("/bin/bash", ["-n", path], environment: ["PATH": "/usr/bin:/bin"])
            #expect(result.status == 0, "\(script): \(result.stderr)")
        }
        for script in ["table.py", "measure.py"] {
            let path = root.appendingPathComponent("Benchmarks/\(script)").path
            let parsed = try Executable.run("/usr/bin/env", ["python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", path],
                                            environment: ["PATH": "/usr/bin:/bin:/usr/local/bin"])
            #expect(parsed.status == 0, "\(script): \(parsed.stderr)")
        }
    }

    /// measure.py, which times every run the tables show: four numbers, and the command's own status.
    @Test func measureRecordsTimesAndPassesTheStatusThrough() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let out = temporaryDirectory().appendingPathComponent("t")
        let result = try await Executable.runOffPool("/usr/bin/env", ["python3", root.appendingPathComponent("Benchmarks/measure.py").path, out.path,
                                                         "/bin/sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 3"],
                                        environment: ["PATH": "/usr/bin:/bin:/usr/local/bin"])
        #expect(result.status == 3)
        let numbers = try String(contentsOf: out, encoding: .utf8).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers.count == 4 && numbers[0] > 0 && numbers[1] + numbers[2] > 0 && numbers[3] > 0, "\(numbers)")
    }
}
