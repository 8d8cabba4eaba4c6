import Foundation
import JudgeCore
import Testing
@testable import Dashboard
@testable import Pipeline

/// A deterministic mid-run dashboard: 40 movies, most answered, two batches live.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func outcomes(_ count: Int = 40) throws -> [RowOutcome] {
        let rows = Array(try Dataset.bundled().rows.prefix(count))
        return rows.map { row in
            let i = row.index
            let base: String? = i >= 36 ? nil : i % 7 == 3 ? "drama." : i % 3 == 0 ? "Comedy" : row.truth.first
            let judge: String? = i >= 30 ? nil : i % 11 == 5 ? "Drama - Correct" : i % 4 == 0 ? "Drama,Incorrect" : "\(row.truth.first!),Correct"
            return RowOutcome(row: row, baseAnswer: base, judgeAnswer: base == nil ? nil : judge)
        }
    }

    static func state(width: Int, height: Int) throws -> ViewState {
        var s = ViewState()
        s.now = start.addingTimeInterval(83)
        _ = reduce(&s, .resize(width: width, height: height))
        s.header.runID = "20261129-010203-abcd"
        s.header.provider = "sim"
        s.header.baseModel = EvalTask.defaultBaseModel
        s.header.judgeModel = EvalTask.defaultJudgeModel
        s.header.simulated = true
        s.header.started = start
        s.header.tokens = [.base: TokenCount(prompt: 41_014, completion: 331), .judge: TokenCount(prompt: 96_580, completion: 499)]
        for event: EngineEvent in [
            .runStarted(runID: "20261129-010203-abcd", rows: 40, simulated: true),
            .batchCreated(.base, batchID: "batch_base_1", requests: 40, attempt: 1),
            .batchProgress(.base, batchID: "batch_base_1", status: .completed, completed: 40, failed: 0, total: 40),
            .answersStored(.base, batchID: "batch_base_1", stored: 36, failed: 4),
            .batchCreated(.judge, batchID: "batch_judge_1", requests: 36, attempt: 1),
        ] { _ = reduce(&s, .event(event)) }
        s.now = start.addingTimeInterval(90)
        _ = reduce(&s, .event(.batchProgress(.judge, batchID: "batch_judge_1", status: .inProgress, completed: 30, failed: 0, total: 36)))
        s.batches[0].started = start
        s.batches[0].finished = start.addingTimeInterval(20)
        s.batches[1].started = start.addingTimeInterval(25)
        let outcomes = try outcomes()
        let identity = RunIdentity(runID: "r", provider: .sim, baseURL: "x", baseModel: "b", judgeModel: "j", mode: .batch,
                                   dataset: "d", simulated: true, status: .running)
        var states = RequestStates()
        states.set(.base, 36, attempts: 3, error: "http_500: server error")
        states.set(.base, 37, attempts: 3)
        let rows = outcomes.map { RowView(outcome: $0, states: states) }
        _ = reduce(&s, .rows(rows, Report(identity: identity, outcomes: outcomes, tokens: [:])))
        s.message = nil
        return s
    }
}

/// Golden text files in `__snapshots__`; `UPDATE_SNAPSHOTS=1 swift test` rewrites them.
func assertSnapshot(_ buffer: ScreenBuffer, named name: String, styles: (ScreenBuffer) -> String = StyleMap.text(of:),
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__snapshots__")
    let file = folder.appendingPathComponent("\(name).txt")
    let text = buffer.text + "\n" + styles(buffer)
    if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" || !FileManager.default.fileExists(atPath: file.path) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] != "1" {
            Issue.record("wrote a new snapshot \(name); check it and run again", sourceLocation: sourceLocation)
        }
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(text == expected, "snapshot \(name) differs; UPDATE_SNAPSHOTS=1 swift test rewrites it after review", sourceLocation: sourceLocation)
}

/// Colour by meaning, as text: a frame drawn with `probe`, a theme that gives each style token a
/// colour of its own, read back as one letter per cell naming the token. A snapshot holds the
/// screen's text and, below it, this map, so a failure drawn in the `ok` style is a failing test.
enum StyleMap {
    static let letters: [StyleToken: Character] = [
        .normal: " ", .border: "b", .title: "t", .header: "h", .selected: "s", .muted: "m", .accent: "a", .ok: "o",
        .fail: "f", .warn: "w", .barFilled: "#", .barEmpty: ".", .disagree: "d", .simulated: "S", .help: "H", .input: "i", .match: "M",
    ]

    static let probe = Theme(name: "dark", styles: Dictionary(uniqueKeysWithValues: StyleToken.allCases.enumerated().map {
        ($1, Style(foreground: .index(100 + $0)))
    }))

    /// One line per screen row; `?` marks a style that is no token's (a mix the renderer made).
    static func text(of buffer: ScreenBuffer) -> String {
        var tokens: [Style: Character] = [:]
        for token in StyleToken.allCases { tokens[probe[token]] = letters[token] }
        var lines = ["--- styles: " + StyleToken.allCases.map { "\(letters[$0]!)=\($0.rawValue)" }.joined(separator: " ")]
        for y in 0..<buffer.height {
            lines.append(String((0..<buffer.width).map { tokens[buffer[$0, y].style] ?? "?" }))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Attributes by cell, for themes without colour: what a NO_COLOR terminal shows.
enum AttributeMap {
    static func text(of buffer: ScreenBuffer) -> String {
        var lines = ["--- attributes: B=bold D=dim R=reverse U=underline X=bold underline Y=bold reverse ?=other"]
        for y in 0..<buffer.height {
            lines.append(String((0..<buffer.width).map { x -> Character in
                let s = buffer[x, y].style
                switch (s.bold, s.dim, s.reverse, s.underline) {
                case (false, false, false, false): return " "
                case (true, false, false, false): return "B"
                case (false, true, false, false): return "D"
                case (false, false, true, false): return "R"
                case (false, false, false, true): return "U"
                case (true, false, false, true): return "X"
                case (true, false, true, false): return "Y"
                default: return "?"
                }
            }))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The same dashboard on the bundled free-text task without truth (movie-loglines): 12 items.
enum FreeTextFixtures {
    static func state(width: Int, height: Int) throws -> ViewState {
        let task = try #require(TaskFile.bundled(named: "movie-loglines")).task
        var reader = try DatasetReader(contentsOf: URL(fileURLWithPath: task.spec.dataset.path), layout: DatasetLayout(task: task))
        let items = try reader.next(12)
        let outcomes = items.map { item in
            RowOutcome(row: item, baseAnswer: item.index == 11 ? nil : "A logline for \(item.title).",
                       judgeAnswer: item.index >= 10 ? nil : item.index % 3 == 0 ? "Unfaithful" : "Faithful")
        }
        var s = ViewState()
        s.now = Fixtures.start.addingTimeInterval(30)
        _ = reduce(&s, .resize(width: width, height: height))
        s.header.runID = "20261202-010203-abcd"
        s.header.simulated = true
        s.header.started = Fixtures.start
        s.columns = TaskColumns(task: task)
        let identity = RunIdentity(runID: "r", provider: .sim, baseURL: "x", baseModel: "b", judgeModel: "j", mode: .online,
                                   dataset: "bundled movie_overviews.jsonl", simulated: true, status: .running,
                                   task: task.spec.name, hasTruth: false, hasLabels: false)
        let rows = outcomes.map { RowView(outcome: $0, scoring: task.scoring) }
        _ = reduce(&s, .rows(rows, Report(identity: identity, outcomes: outcomes, tokens: [:], scoring: task.scoring)))
        s.message = nil
        return s
    }
}
