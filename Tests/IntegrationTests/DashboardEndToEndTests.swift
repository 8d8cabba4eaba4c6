import Foundation
import TestSupport
import Testing

/// The real binary in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
@Suite(.serialized) struct DashboardEndToEndTests {
    static var tmux: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A tmux server of the test's own, with the dashboard in a 140×45 pane.
    public struct Pane {
        let tmux: String
        let socket = "judgetop-test-\(UUID().uuidString.prefix(8))"

        init(tmux: String, command: String, home: URL) throws {
            self.tmux = tmux
            let shell = "cd \(home.path) && env -i PATH=/usr/bin:/bin HOME=\(home.path) TERM=tmux-256color LANG=C.UTF-8 \(command); "
                + "echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo; echo TERMINAL-CHECKED; sleep 120"
            try run(["new-session", "-d", "-s", "t", "-x", "140", "-y", "45", shell])
        }

        /// Runs a tmux command and returns what it printed (through a file: tmux clients hand their
        /// output to the server, which may hold a pipe open).
        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            try Executable.run(tmux, ["-L", socket, "-u"] + arguments, environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color"]).stdout
        }

        var screen: String { (try? run(["capture-pane", "-p", "-t", "t"])) ?? "" }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", "t"] + keys) }

        /// Waits until the screen shows what `test` looks for, sleeping off the cooperative pool's
        /// threads (a blocking sleep there held one of this machine's two for the whole test, and
        /// starved the simulators of the tests running beside it).
        func wait(_ what: String, timeout: Double = 60, _ test: (String) -> Bool) async throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                let text = screen
                if test(text) { return text }
                guard Date() < deadline else { throw TestFailure("timed out waiting for \(what); the screen was:\n\(text)") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        func stop() { _ = try? run(["kill-server"]) }
    }

    @Test(.enabled(if: tmux != nil, "skipped: needs tmux (apt-get install tmux)"))
    func dashboardShowsBrowsesRerunsAndQuits() async throws {
        let home = temporaryDirectory()
        let pane = try Pane(tmux: Self.tmux!, command: "\(Executable.judgetop) run --limit 120 --runs-dir \(home.path)/runs", home: home)
        defer { pane.stop() }
        let done = try await pane.wait("the run to finish") { $0.contains("Batches: 0 live of 2") && $0.contains("pending 0") }
        #expect(done.contains("SIMULATED") && done.contains("TITLE") && done.contains("TRUE GENRES") && done.contains("100%"))
        #expect(done.contains("judge's genre") && done.contains("PPI++") && done.contains("Items 1/120"))

        try pane.keys("j", "j")
        _ = try await pane.wait("the cursor to move") { $0.contains("Items 3/120") }
        try pane.keys("f")
        let filtered = try await pane.wait("the disagreement filter") { $0.contains("(disagreements)") }
        #expect(!filtered.contains("Items 3/120"))
        try pane.keys("f", "f", "f", "f", "f", "f")
        _ = try await pane.wait("the filter to come round") { $0.contains("filter:all") && !$0.contains("(failed)") }
        try pane.keys("?")
        // Waits for the whole help text: a capture can land between two parts of a redraw. Its own
        // lines, not "re-judge" alone, which the hints bar under it always shows.
        let help = try await pane.wait("help") {
            $0.contains("Esc closes)") && $0.contains("rerun the selected row") && $0.contains("re-judge every row")
        }
        #expect(help.contains("rerun the selected row") && help.contains("re-judge"))
        try pane.keys("Escape")
        _ = try await pane.wait("help to close") { !$0.contains("Esc closes)") }

        try pane.keys("g", "r")
        let rerun = try await pane.wait("the rerun batches") { $0.contains("Batches: 0 live of 4") && $0.contains("1/1") }
        #expect(rerun.contains("judge") && rerun.contains("base"))

        // A re-judge of every row asks first, with its count; n sends nothing, y sends it, and the
        // header then names the new judge.
        try pane.keys("J")
        try pane.keys("-l", "other-judge")
        try pane.keys("Enter")
        let asked = try await pane.wait("the re-judge question") { $0.contains("Send? y/n") }
        #expect(asked.contains("re-judge with other-judge: 120 requests, ~") && asked.contains("tokens"))
        try pane.keys("n")
        _ = try await pane.wait("nothing sent") { $0.contains("nothing sent") }
        try pane.keys("J")
        try pane.keys("-l", "other-judge")
        try pane.keys("Enter")
        _ = try await pane.wait("the re-judge question again") { $0.contains("Send? y/n") }
        try pane.keys("y")
        let rejudged = try await pane.wait("the re-judge batch") { $0.contains("Batches: 0 live of 5") && $0.contains("judge other-judge") }
        #expect(rejudged.contains("pending 0"))

        try pane.keys("q")
        // The terminal check prints after EXIT=: waiting for EXIT= alone could capture between the two.
        let closed = try await pane.wait("judgetop to exit") { $0.contains("TERMINAL-CHECKED") }
        #expect(closed.contains("EXIT=0") && closed.contains("icanon") && closed.contains("stored in"))
        #expect(try pane.run(["display", "-p", "-t", "t", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test(.enabled(if: tmux != nil, "skipped: needs tmux (apt-get install tmux)"))
    func escapeSequencesInTheDataShowAsText() async throws {
        let home = temporaryDirectory()
        let csv = home.appendingPathComponent("hostile.csv")
        try """
            Series_Title,Overview,Genre
            "Evil\u{1B}]2;pwned\u{07}Title\u{1B}[2J",A detective hunts a killer in the city.,Crime
            Plain,A family struggles.,Drama

            """.write(to: csv, atomically: true, encoding: .utf8)
        let pane = try Pane(tmux: Self.tmux!, command: "\(Executable.judgetop) run --dataset \(csv.path) --runs-dir \(home.path)/runs", home: home)
        defer { pane.stop() }
        let screen = try await pane.wait("the rows") { $0.contains("Plain") && $0.contains("pending 0") }
        #expect(screen.contains("Evil␛]2;pwned␇Title␛[2J"))
        #expect(screen.contains("TRUE GENRES"), "the screen was cleared")
        let title = try pane.run(["display", "-p", "-t", "t", "#{pane_title}"])
        #expect(!title.contains("pwned"))
        try pane.keys("q")
        _ = try await pane.wait("judgetop to exit") { $0.contains("EXIT=0") }
    }
}
