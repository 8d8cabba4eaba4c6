import BatchAPI
import Foundation
import JudgeCore
import Pipeline

/// One provider batch's progress line.
public struct BatchLine: Sendable, Equatable {
    public let id: String
    public let stage: Stage
    public var status: BatchStatus
    /// Its answers are in the store.
    public var stored = false
    public var completed = 0
    public var failed = 0
    public var total: Int
    public var started: Date
    public var updated: Date
    public var finished: Date?
    /// Answers a second over each second or more between progress reports, oldest first.
    public var rates: [Double] = []
    /// Where the rate being measured began: answers then, and when (nil: the batch's start).
    var rateStartDone = 0
    var rateStartAt: Date?

    static let rateHistory = 64

    public init(id: String, stage: Stage, status: BatchStatus, stored: Bool = false, completed: Int = 0, failed: Int = 0, total: Int,
                started: Date, updated: Date, finished: Date? = nil) {
        (self.id, self.stage, self.status, self.stored) = (id, stage, status, stored)
        (self.completed, self.failed, self.total) = (completed, failed, total)
        (self.started, self.updated, self.finished) = (started, updated, finished)
    }
    /// When its answer count last grew; live with none new for `idleAfter` seconds, it is idle.
    public var lastAnswer: Date?
    static let idleAfter = 60.0

    /// Takes a progress report: counts, and the rate since the last mark once a second has passed.
    mutating func progress(completed: Int, failed: Int, at now: Date) {
        if completed + failed > self.completed + self.failed { lastAnswer = now }
        self.completed = completed
        self.failed = failed
        updated = now
        let elapsed = now.timeIntervalSince(rateStartAt ?? started)
        guard elapsed >= 1 else { return }
        rates.append(Double(max(0, completed + failed - rateStartDone)) / elapsed)
        if rates.count > Self.rateHistory { rates.removeFirst(rates.count - Self.rateHistory) }
        (rateStartDone, rateStartAt) = (completed + failed, now)
    }

    var isLive: Bool { !status.isTerminal && !stored }
    /// What its line says: the provider's status, or `stored` once its answers are in (a batch that
    /// ended short keeps saying so).
    var shownStatus: String { stored && !status.endedShort ? "stored" : TerminalText.sanitize(status.name) }
}

/// Everything the dashboard shows; changed only by `reduce`.
public struct ViewState: Sendable {
    public enum Mode: Sendable, Equatable {
        case browse, detail, help, statistics, confirmQuit
        /// The labelling queue (`L`), one item of the sample at a time.
        case labelling
        case searching(String)
        case rejudging(String)
        /// The note of a mark that the selected row's verdict is wrong, being typed.
        case marking(String)
        /// A question waiting for y (anything else declines).
        case confirming(String)
    }

    public struct Header: Sendable, Equatable {
        public var runID = ""
        public var provider = ""
        public var baseModel = ""
        public var judgeModel = ""
        public var mode = "batch"
        public var simulated = false
        public var started = Date()
        /// When the run ended: the clock stops there.
        public var ended: Date?
        public var tokens: [Stage: TokenCount] = [:]
        public var cost: CostBreakdown?

        public init() {}
    }

    public var header = Header()
    /// The task's columns: what the table and the detail pane show.
    public var columns = TaskColumns.tutorial
    public var batches: [BatchLine] = []
    public var online: OnlineProgress?
    public var rows: [RowView] = []
    /// Positions into `rows`, filtered and sorted: only these are browsable.
    public private(set) var visible: [Int] = []
    public var report: Report?
    /// Counted when rows arrive, not per frame: a million rows must not slow drawing.
    public private(set) var counts = RowCounts()
    public var selected = 0
    public var scroll = 0
    /// The first line shown in the statistics view.
    public var statisticsScroll = 0
    /// People's labels and the labelling queue; where in the queue the labelling screen is, and
    /// whether it shows the judge's verdict (hidden until asked, so as not to anchor the person).
    public var review = ReviewData()
    public var labelPosition = 0
    public var verdictShown = false
    /// The rows labelled on this screen, in order: `u` takes the last back and returns to it.
    public var labelledHere: [Int] = []
    public var filter = RowFilter.all
    public var sort = RowSort.row
    public var sortDescending = false
    public var search = ""
    /// Where the cursor was when the search began: Esc returns there.
    public var searchOrigin = 0
    public var helpScroll = 0
    /// The wheel scrolls and a click selects; off, the terminal selects text (`M`, `JUDGETOP_MOUSE=off`).
    public var mouse = true
    /// When the message last changed: it goes after `messageLifetime`.
    public var messageShown: Date?
    public static let messageLifetime = 8.0
    public var mode = Mode.browse
    public var message: String?
    public var themeName = "dark"
    public var finished = false
    public var quit = false
    public var width = 80
    public var height = 24
    public var now = Date()

    public init() {}

    public var liveBatches: Int { batches.filter(\.isLive).count }

    /// The row under the cursor.
    public var selectedRow: RowView? { visible.indices.contains(selected) ? rows[visible[selected]] : nil }

    /// Recomputes the visible rows after the rows, filter or sort changed, keeping the cursor on the same row.
    /// Rows still waiting for an answer, failed for good, and unparseable.
    public struct RowCounts: Sendable, Equatable {
        public var pending = 0, failed = 0, unparseable = 0, marked = 0
        /// Answers in each stage, for the spend projection.
        public var answered: [Stage: Int] = [:]
    }

    mutating func recount() {
        var c = RowCounts()
        var base = 0, judge = 0
        for row in rows {
            if row.isFailed { c.failed += 1 } else if row.base == .missing || row.judge == .missing { c.pending += 1 }
            if row.isUnparseable { c.unparseable += 1 }
            if row.mark != nil { c.marked += 1 }
            if row.baseAnswer != nil { base += 1 }
            if row.judgeAnswer != nil { judge += 1 }
        }
        c.answered = [.base: base, .judge: judge]
        counts = c
    }

    /// What the whole run will spend if every row costs what the answers so far cost each: shown
    /// once both stages have answers, while the run goes on. An upper bound for the judge, which
    /// answers only the rows with a base answer.
    public var projection: (cost: Double?, tokens: Int)? {
        guard !finished, rows.count > 0, Stage.allCases.allSatisfy({ (counts.answered[$0] ?? 0) > 0 }) else { return nil }
        let scale = { (stage: Stage) in Double(rows.count) / Double(counts.answered[stage] ?? 1) }
        let tokens = Stage.allCases.reduce(0.0) { sum, stage in
            let t = header.tokens[stage] ?? TokenCount()
            return sum + Double(t.prompt + t.completion) * scale(stage)
        }
        let cost = header.cost.map { c in Stage.allCases.reduce(0.0) { $0 + (c.byStage[$1] ?? 0) * scale($1) } }
        return (cost, Int(tokens.rounded()))
    }

    mutating func refreshVisible() {
        let keep = selectedRow?.index
        var positions = rows.indices.filter { filter.keeps(rows[$0]) }
        switch sort {
        case .row: break
        case .title: positions.sort { rows[$0].title.lowercased() < rows[$1].title.lowercased() }
        case .verdict: positions.sort { (rows[$0].verdict?.rawValue ?? "~", rows[$0].index) < (rows[$1].verdict?.rawValue ?? "~", rows[$1].index) }
        case .disagreement: positions.sort { (rows[$0].disagrees ? 0 : 1, rows[$0].index) < (rows[$1].disagrees ? 0 : 1, rows[$1].index) }
        }
        if sortDescending { positions.reverse() }
        visible = positions
        if let keep, let at = visible.firstIndex(where: { rows[$0].index == keep }) { selected = at }
        clampSelection()
    }

    mutating func clampSelection() {
        selected = max(0, min(selected, visible.count - 1))
        let page = max(1, Layout(width: width, height: height, state: self).tableRows)
        if selected < scroll { scroll = selected }
        if selected >= scroll + page { scroll = selected - page + 1 }
        scroll = max(0, min(scroll, max(0, visible.count - page)))
    }
}
