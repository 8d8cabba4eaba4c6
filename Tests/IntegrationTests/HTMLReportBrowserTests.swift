import Foundation
import JudgeCore
import TestSupport
import Testing

/// The HTML report of a real simulated run, opened in a real browser: headless Chromium from
/// Debian, driven by Playwright (`.ci/run` installs both; Playwright uses that browser and fetches
/// none). The page and a screenshot are kept in `.build/test-artifacts/`.
@Suite struct HTMLReportBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/html_report_browser.py")
    static let python = Executable.pythonWith(["playwright"])
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")

    static let hostile = ["<script>window.pwned=1</script>", "<img src=x onerror=\"window.pwned=1\">", "&lt;3 & friends",
                          "</td></tr></table><h1>broken</h1>", "\"quoted\" 'single'"]

    /// The tutorial's task on 80 movies whose titles are markup.
    static func hostileTask(in home: URL) throws -> URL {
        let items = Array(try Dataset.bundled().rows.prefix(80))
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let csv = ["Series_Title,Genre,Overview"] + items.map { item in
            [hostile[item.index % hostile.count] + " \(item.index)", item.truth.joined(separator: ", "), item.fields[0]].map(quoted).joined(separator: ",")
        }
        let data = home.appendingPathComponent("hostile.csv")
        try csv.joined(separator: "\n").write(to: data, atomically: true, encoding: .utf8)
        let bundled = try String(contentsOf: TaskFile.bundledFolder.appendingPathComponent("imdb-genres.yaml"), encoding: .utf8)
        let task = home.appendingPathComponent("hostile.yaml")
        try bundled.replacingOccurrences(of: "path: ../imdb_top_1000.csv", with: "path: \(data.path)")
            .replacingOccurrences(of: "name: imdb-genres", with: "name: hostile-titles")
            .write(to: task, atomically: true, encoding: .utf8)
        return task
    }

    @Test(.enabled(if: python != nil && chromium != nil, "skipped: needs chromium and python3 with playwright (apt-get install chromium; pip install playwright)"))
    func theReportOpensCleanlyInARealBrowser() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs").path
        let run = try await Executable.judgetop(["run", "--headless", "--task", try Self.hostileTask(in: home).path, "--runs-dir", runs], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(run.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let page = Self.artifacts.appendingPathComponent("report-hostile-titles.html")
        let written = try await Executable.judgetop(["report", id, "--format", "html", "--output", page.path, "--runs-dir", runs], home: home)
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")

        let screenshot = Self.artifacts.appendingPathComponent("report-hostile-titles.png")
        let browser = try await Executable.runOffPool(Self.python!, [Self.script.path, page.path, screenshot.path, Self.chromium!],
                                                      environment: ProcessInfo.processInfo.environment)
        #expect(browser.status == 0, "\(browser.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any], "\(browser.stdout)")
        #expect((seen["console"] as? [String])?.isEmpty == true, "console: \(seen["console"] ?? "")")
        #expect((seen["errors"] as? [String])?.isEmpty == true, "errors: \(seen["errors"] ?? "")")
        #expect(seen["requests"] as? [String] == [page.absoluteURL.absoluteString], "the page asked for more than itself: \(seen["requests"] ?? "")")
        #expect(seen["scripts"] as? Int == 0 && seen["pwned"] as? Bool == false && seen["images"] as? Int == 0)
        #expect(seen["charts"] as? Int == 4 && seen["chartsDrawn"] as? Int == 4)
        // Each listed title reads exactly as the dataset wrote it.
        let titles = try #require(seen["titles"] as? [String])
        let written80 = Set((0..<80).map { Self.hostile[$0 % Self.hostile.count] + " \($0)" })
        #expect(!titles.isEmpty && titles.allSatisfy(written80.contains), "\(titles.prefix(5))")
        #expect(titles.contains { $0.hasPrefix("<script>") } && titles.contains { $0.hasPrefix("&lt;3") })
        #expect(seen["light"] as? String == "rgb(255, 255, 255)" && seen["dark"] as? String == "rgb(20, 23, 29)")
        #expect(seen["print"] as? String == "rgb(255, 255, 255)", "print is black on white whatever the scheme")
        let png = try Data(contentsOf: screenshot)
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
