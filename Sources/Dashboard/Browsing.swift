import Foundation

/// Search as you type: from where the search began, the first row in view that has the text in
/// any shown field; no match leaves the cursor where it began.
func searchIncrementally(_ query: String, _ state: inout ViewState) {
    state.search = query
    state.selected = state.searchOrigin
    guard !query.isEmpty else {
        state.message = nil
        return state.clampSelection()
    }
    jumpToHit(&state, forward: true, includeCurrent: true)
}

/// Moves to the next (or previous) row in view that matches the search.
func jumpToHit(_ state: inout ViewState, forward: Bool, includeCurrent: Bool) {
    guard !state.search.isEmpty, !state.visible.isEmpty else { return }
    let count = state.visible.count
    for step in (includeCurrent ? 0 : 1)...count {
        let position = ((state.selected + (forward ? step : -step)) % count + count) % count
        if state.rows[state.visible[position]].matches(state.search) {
            state.selected = position
            state.message = "search: \(state.search)"
            state.clampSelection()
            return
        }
    }
    state.message = "search: \(state.search): no match"
}

extension RowView {
    /// The search text, any case, in a field the table or detail pane shows.
    func matches(_ query: String) -> Bool {
        ([String(index + 1), title, baseAnswer ?? "", judgeAnswer ?? "", judgeLabel, truth, verdict?.rawValue ?? "", mark ?? ""] + fields)
            .contains { $0.range(of: query, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
    }
}

/// The help overlay scrolls with the movement keys and closes on ?, Esc, q or Enter.
func scrollHelp(_ key: Key, _ state: inout ViewState, _ keymap: Keymap) {
    switch keymap.action(for: key) {
    case .down: state.helpScroll += 1
    case .up: state.helpScroll -= 1
    case .pageDown: state.helpScroll += 10
    case .pageUp: state.helpScroll -= 10
    case .top: state.helpScroll = 0
    case .bottom: state.helpScroll = Int.max
    case .help, .back, .quit, .detail: state.mode = .browse
    default:
        if key == .mouse(.wheelDown) { state.helpScroll += 3 }
        if key == .mouse(.wheelUp) { state.helpScroll -= 3 }
    }
    state.helpScroll = max(0, min(state.helpScroll, HelpLayout(state: state, keymap: keymap).maximumScroll))
}

/// The mouse in the table: the wheel moves three rows, a click selects the row under it.
func pointer(_ event: MouseEvent, _ state: inout ViewState) {
    guard state.mouse else { return }
    switch event {
    case .wheelUp: state.selected -= 3
    case .wheelDown: state.selected += 3
    case .click(let x, let y):
        let table = Layout(width: state.width, height: state.height, state: state).table
        let line = y - table.y - 2
        guard x >= table.x, x < table.x + table.width, line >= 0, line < table.height - 3, state.scroll + line < state.visible.count else { return }
        state.selected = state.scroll + line
    }
    state.clampSelection()
}

/// `e`: the rows in view (the filter's, and the search's when one is set), for the controller to write.
func exportRows(_ state: inout ViewState) -> [DashboardCommand] {
    let rows = state.visible.map { state.rows[$0] }.filter { state.search.isEmpty || $0.matches(state.search) }
    guard !rows.isEmpty else {
        state.message = "nothing to export: no row in view"
        return []
    }
    let view = state.filter.rawValue.replacingOccurrences(of: " ", with: "-") + (state.search.isEmpty ? "" : "-search")
    state.message = "exporting \(rows.count) rows"
    return [.export(rows: rows.map(\.index), view: view)]
}
