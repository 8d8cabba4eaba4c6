import JudgeCore

/// Keys of the labelling screen: y the base answer is correct, n incorrect, s skip, u undo the
/// last label, v show or hide the verdict, j/k move through the queue, Esc back. A label is shown
/// at once and committed by the controller, which refreshes the estimates.
func handleLabelling(_ key: Key, _ state: inout ViewState, _ keymap: Keymap) -> [DashboardCommand] {
    let queue = state.review.queue
    guard !queue.isEmpty else {
        state.mode = .browse
        return []
    }
    state.labelPosition = max(0, min(state.labelPosition, queue.count - 1))
    let row = queue[state.labelPosition]
    switch key {
    case .char("y"), .char("n"), .char("s"):
        let label: Bool? = key == .char("s") ? nil : key == .char("y")
        state.review.labels[row] = .some(label)
        state.labelledHere.append(row)
        state.verdictShown = false
        state.message = "row \(row + 1): " + (label.map { $0 ? "correct" : "incorrect" } ?? "skipped (skipping can bias the sample)")
        // On to the next item without a label, or the next one when all have one.
        let next = queue.indices.dropFirst(state.labelPosition + 1).first { state.review.labels[queue[$0]] == nil }
        state.labelPosition = next ?? min(state.labelPosition + 1, queue.count - 1)
        return [.label(row: row, correct: label)]
    case .char("u"):
        state.verdictShown = false
        guard let last = state.labelledHere.popLast() else {
            state.message = "no label of yours on this screen to undo"
            return []
        }
        // Shown unlabelled at once; the store's refresh shows any earlier label of someone else's.
        state.review.labels[last] = nil
        state.labelPosition = queue.firstIndex(of: last) ?? state.labelPosition
        state.message = "row \(last + 1): label undone"
        return [.undoLabel]
    case .char("v"):
        state.verdictShown.toggle()
        return []
    default:
        break
    }
    switch keymap.action(for: key) {
    case .down: state.labelPosition = min(state.labelPosition + 1, queue.count - 1)
    case .up: state.labelPosition = max(state.labelPosition - 1, 0)
    case .top: state.labelPosition = 0
    case .bottom: state.labelPosition = queue.count - 1
    case .back, .quit:
        state.mode = .browse
        state.message = nil
        return []
    default: return []
    }
    state.verdictShown = false
    return []
}

/// `L`: the labelling screen at the first item without a label.
func startLabelling(_ state: inout ViewState) {
    guard !state.review.queue.isEmpty else {
        state.message = "nothing to label yet: the sample is drawn from items with a base answer and a verdict"
        return
    }
    state.mode = .labelling
    state.labelPosition = state.review.firstUnlabelled
    state.verdictShown = false
}

/// `x` on a row: an unmarked row asks for a note and is marked; a marked row loses its mark.
func toggleMark(_ state: inout ViewState) -> [DashboardCommand] {
    guard let row = state.selectedRow else { return [] }
    guard row.mark != nil else {
        state.mode = .marking("")
        return []
    }
    setMark(nil, onRow: row.index, &state)
    state.message = "row \(row.index + 1): mark removed"
    return [.unmark(row: row.index)]
}

/// The note typed, committed: the mark shows at once; the controller stores it.
func commitMark(_ note: String, _ state: inout ViewState) -> [DashboardCommand] {
    state.mode = .browse
    guard let row = state.selectedRow else { return [] }
    let text = note.trimmingCharacters(in: .whitespaces)
    setMark(TerminalText.sanitize(text), onRow: row.index, &state)
    state.message = "row \(row.index + 1): the judge's verdict marked wrong (a judge error found; never used in the estimates)"
    return [.mark(row: row.index, note: text)]
}

private func setMark(_ note: String?, onRow index: Int, _ state: inout ViewState) {
    guard let position = state.rows.firstIndex(where: { $0.index == index }) else { return }
    state.rows[position].mark = note
    state.recount()
    state.refreshVisible()
}
