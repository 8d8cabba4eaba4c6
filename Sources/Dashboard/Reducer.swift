import BatchAPI
import Foundation
import JudgeCore
import Pipeline

/// What changes the dashboard: keys, engine events, fresh rows from the store, time, size.
public enum DashboardAction: Sendable {
    case key(Key)
    case event(EngineEvent)
    case rows([RowView], Report?)
    case tick(Date)
    case resize(width: Int, height: Int)
    /// The judges whose verdicts the rows show now (after a cancelled re-judge, more than one).
    case judges(String)
    /// Work that would send many requests, described with its count and estimated cost: asks y/n.
    case confirm(String)
    /// The theme the state named could not be loaded: the one shown stays.
    case themeUnavailable(keeping: String)
    /// People's labels and marks, and the labelling queue, as the store has them.
    case review(ReviewData)
}

/// What the dashboard asks the engine (or the app) to do.
public enum DashboardCommand: Sendable, Equatable {
    case rerun([Int])
    case rerunFailed
    case rejudge(model: String)
    case cancelBatches
    /// The answer to `confirm`.
    case confirmed, declined
    /// A person's label of a row's base answer (nil: skipped), the undoing of their last one, and
    /// a mark that the judge's verdict is wrong (with a note), or its removal.
    case label(row: Int, correct: Bool?)
    case undoLabel
    case mark(row: Int, note: String)
    case unmark(row: Int)
    /// The rows in view written as CSV; `view` names the filter and search in the file's name.
    case export(rows: [Int], view: String)
    case quit

    /// Whether it may send requests: only these need a provider (and the run's lease).
    public var sends: Bool {
        switch self {
        case .rerun, .rerunFailed, .rejudge, .confirmed, .cancelBatches: return true
        case .declined, .label, .undoLabel, .mark, .unmark, .export, .quit: return false
        }
    }
}

/// The one place the view state changes. Pure: the same state and action give the same result.
public func reduce(_ state: inout ViewState, _ action: DashboardAction, keymap: Keymap = .standard) -> [DashboardCommand] {
    let message = state.message
    defer {
        // A message stays for a while from when it changed, then goes.
        if state.message != message { state.messageShown = state.now }
        if let shown = state.messageShown, state.now.timeIntervalSince(shown) >= ViewState.messageLifetime { state.message = nil }
    }
    switch action {
    case .resize(let width, let height):
        state.width = width
        state.height = height
        state.clampSelection()
    case .tick(let now):
        state.now = now
    case .rows(let rows, let report):
        state.rows = rows
        state.report = report ?? state.report
        state.recount()
        state.refreshVisible()
    case .event(let event):
        apply(event, to: &state)
    case .judges(let text):
        state.header.judgeModel = TerminalText.sanitize(text)
    case .confirm(let question):
        state.mode = .confirming(TerminalText.sanitize(question))
    case .themeUnavailable(let shown):
        state.message = "theme \(state.themeName) cannot be loaded; keeping \(shown)"
        state.themeName = shown
    case .review(let data):
        state.review = data
        state.labelPosition = max(0, min(state.labelPosition, data.queue.count - 1))
    case .key(let key):
        return handle(key, &state, keymap)
    }
    return []
}

private func apply(_ event: EngineEvent, to state: inout ViewState) {
    let now = state.now
    switch event {
    case .runStarted(let runID, _, let simulated):
        state.header.runID = TerminalText.sanitize(runID)
        state.header.simulated = simulated
        state.header.ended = nil
        state.finished = false
    case .batchCreated(let stage, let id, let requests, _):
        let safeID = TerminalText.sanitize(id)
        if !state.batches.contains(where: { $0.id == safeID }) {
            state.batches.append(BatchLine(id: safeID, stage: stage, status: .validating, total: requests, started: now, updated: now))
        }
    case .batchProgress(let stage, let id, let status, let completed, let failed, let total):
        let safeID = TerminalText.sanitize(id)
        if let i = state.batches.firstIndex(where: { $0.id == safeID }) {
            state.batches[i].status = status
            state.batches[i].progress(completed: completed, failed: failed, at: now)
            state.batches[i].total = total
            if !state.batches[i].isLive { state.batches[i].finished = state.batches[i].finished ?? now }
        } else {
            state.batches.append(BatchLine(id: safeID, stage: stage, status: status, completed: completed,
                                           failed: failed, total: total, started: now, updated: now))
        }
    case .answersStored(_, let id, _, _):
        // A cancelled, expired or failed batch keeps saying so: its answers are stored, but not all came.
        if let i = state.batches.firstIndex(where: { $0.id == TerminalText.sanitize(id) }) {
            state.batches[i].stored = true
            state.batches[i].finished = state.batches[i].finished ?? now
        }
    case .onlineProgress(let progress):
        state.online = progress
    case .usage(let tokens, let cost):
        state.header.tokens = tokens
        state.header.cost = cost
    case .retryScheduled(let stage, let requests, let attempt):
        state.message = "\(stage.rawValue): \(requests) requests go again (attempt \(attempt))"
    case .warning(let text):
        state.message = TerminalText.sanitize(text)
    case .providerRetry(let operation, let attempt, _, _):
        state.message = "provider busy: \(TerminalText.sanitize(operation)) retried (attempt \(attempt))"
    case .runFinished(let report):
        state.finished = true
        state.header.ended = now
        state.report = report
        state.message = "run finished: browse with j/k, f to filter, q to quit"
    case .stageStarted, .stageFinished:
        break
    }
}

private func handle(_ key: Key, _ state: inout ViewState, _ keymap: Keymap) -> [DashboardCommand] {
    // Modes that read text or a yes/no first.
    switch state.mode {
    case .searching(let text):
        switch edit(key, text) {
        case .editing(let next):
            state.mode = .searching(next)
            searchIncrementally(next, &state)
        case .abandoned:
            state.mode = .browse
            state.search = ""
            state.selected = state.searchOrigin
            state.message = nil
            state.clampSelection()
        case .committed(let query):
            state.mode = .browse
            searchIncrementally(query, &state)
        }
        return []
    case .rejudging(let text):
        switch edit(key, text) {
        case .editing(let next): state.mode = .rejudging(next)
        case .abandoned: state.mode = .browse
        case .committed(let model):
            state.mode = .browse
            let trimmed = model.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return [] }
            state.message = "re-judging with \(TerminalText.sanitize(trimmed)); verdicts stay until new ones arrive"
            return [.rejudge(model: trimmed)]
        }
        return []
    case .marking(let text):
        switch edit(key, text) {
        case .editing(let next): state.mode = .marking(next)
        case .abandoned: state.mode = .browse
        case .committed(let note): return commitMark(note, &state)
        }
        return []
    case .labelling:
        return handleLabelling(key, &state, keymap)
    case .confirming:
        state.mode = .browse
        if key == .char("y") {
            state.message = "sending"
            return [.confirmed]
        }
        state.message = "nothing sent"
        return [.declined]
    case .confirmQuit:
        if key == .char("y") || key == .char("q") { state.quit = true; return [.quit] }
        state.mode = .browse
        state.message = nil
        return []
    case .statistics:
        scrollStatistics(key, &state, keymap)
        return []
    case .help:
        scrollHelp(key, &state, keymap)
        return []
    case .browse, .detail:
        break
    }
    if case .mouse(let event) = key {
        pointer(event, &state)
        return []
    }
    guard let action = keymap.action(for: key) else {
        if key == .resize { state.clampSelection() }
        return []
    }
    let page = max(1, Layout(width: state.width, height: state.height, state: state).tableRows)
    switch action {
    case .down: state.selected += 1
    case .up: state.selected -= 1
    case .pageDown: state.selected += page
    case .pageUp: state.selected -= page
    case .halfPageDown: state.selected += max(1, page / 2)
    case .halfPageUp: state.selected -= max(1, page / 2)
    case .top: state.selected = 0
    case .bottom: state.selected = state.visible.count - 1
    case .detail: state.mode = state.mode == .detail ? .browse : .detail
    case .back:
        state.mode = .browse
        state.message = nil
    case .search:
        state.mode = .searching("")
        state.searchOrigin = state.selected
    case .nextHit: jumpToHit(&state, forward: true, includeCurrent: false)
    case .previousHit: jumpToHit(&state, forward: false, includeCurrent: false)
    case .filter:
        state.filter = state.filter.next()
        state.refreshVisible()
        state.message = "filter: \(state.filter.rawValue) (\(state.visible.count) rows)"
    case .sort, .reverseSort:
        if action == .sort { state.sort = state.sort.next() } else { state.sortDescending.toggle() }
        state.refreshVisible()
        // A new order starts at its top.
        (state.selected, state.scroll) = (0, 0)
        state.message = "sort: \(state.sort.rawValue) \(state.sortDescending ? "descending" : "ascending")"
    case .rerunRow:
        guard let row = state.selectedRow else { return [] }
        state.message = "rerunning what failed in row \(row.index + 1)"
        return [.rerun([row.index])]
    case .rerunFailed:
        state.message = "rerunning the failed stage of every failed or unparseable row"
        return [.rerunFailed]
    case .rejudge: state.mode = .rejudging("")
    case .cancel:
        guard !state.finished || state.liveBatches > 0 else {
            state.message = "nothing to cancel"
            return []
        }
        state.message = "cancelling: no new batch is created; \(state.liveBatches) live batches are cancelled"
        return [.cancelBatches]
    case .theme:
        // The screen's owner loads the theme the state names (a file read, outside the reducer).
        let names = Theme.shippedNames
        state.themeName = names[((names.firstIndex(of: state.themeName) ?? -1) + 1) % names.count]
        state.message = "theme: \(state.themeName)"
    case .help:
        state.mode = .help
        state.helpScroll = 0
    case .label: startLabelling(&state)
    case .mouse:
        state.mouse.toggle()
        state.message = state.mouse ? "mouse on: the wheel scrolls, a click selects (M turns it off)" : "mouse off: the terminal selects text (M turns it on)"
    case .export:
        return exportRows(&state)
    case .mark: return toggleMark(&state)
    case .statistics:
        state.mode = .statistics
        state.statisticsScroll = 0
    case .quit:
        if state.liveBatches > 0 && !state.finished {
            state.mode = .confirmQuit
            return []
        }
        state.quit = true
        return [.quit]
    }
    state.clampSelection()
    return []
}

private enum LineEdit { case editing(String), committed(String), abandoned }

/// A one-line text input: characters append, Backspace deletes, Enter commits, Esc abandons.
private func edit(_ key: Key, _ text: String) -> LineEdit {
    switch key {
    case .enter: return .committed(text)
    case .escape: return .abandoned
    case .backspace: return .editing(String(text.dropLast()))
    case .char(let c) where !c.isNewline && !c.isASCII || c.isLetter || c.isNumber || c.isPunctuation || c.isSymbol || c == " ":
        return .editing(text + String(c))
    default: return .editing(text)
    }
}

/// The statistics view reads like a pager: movement keys scroll it, Esc, q, a or Enter close it,
/// and any other key leaves it open.
private func scrollStatistics(_ key: Key, _ state: inout ViewState, _ keymap: Keymap) {
    let page = StatisticsView.page(height: state.height)
    var top = state.statisticsScroll
    switch keymap.action(for: key) {
    case .down: top += 1
    case .up: top -= 1
    case .pageDown: top += page
    case .pageUp: top -= page
    case .halfPageDown: top += max(1, page / 2)
    case .halfPageUp: top -= max(1, page / 2)
    case .top: top = 0
    case .bottom: top = Int.max
    case .back, .quit, .statistics, .detail: state.mode = .browse
    default:
        if key == .char(" ") { top += page }
        if key == .mouse(.wheelDown) { top += 3 }
        if key == .mouse(.wheelUp) { top -= 3 }
    }
    state.statisticsScroll = max(0, min(top, StatisticsView.maximumScroll(state)))
}
