import Foundation
import Testing

/// The benchmarks never decide a test's outcome by their figures; these only check that they start
/// and print every figure (the quick sizes are a hundredth of the real ones).
@Suite struct BenchmarkSmokeTests {
    @Test func hotPathBenchmarkPrintsEveryFigure() throws {
        let bench = Executable.productsDirectory.appendingPathComponent("judgetop-bench").path
        let result = try Executable.run(bench, ["--quick", "--runs", "1"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        for figure in ["build 1000 base request lines", "build 1000 judge request lines", "parse 1000 output lines",
                       "store 1000 dataset rows", "plan 1000 pending requests", "store 1000 answers", "read 1000 dataset rows",
                       "dashboard key + frame 140×45, 10000 rows"] {
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
        let table = try Executable.run("/usr/bin/env", ["python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", root.appendingPathComponent("Benchmarks/table.py").path],
                                       environment: ["PATH": "/usr/bin:/bin:/usr/local/bin"])
        #expect(table.status == 0, "\(table.stderr)")
    }
}
