/// A key as the backend reports it.
public enum Key: Sendable, Equatable, Hashable {
    case char(Character)
    case ctrl(Character)
    case up, down, pageUp, pageDown, home, end, enter, escape, backspace, tab, resize
    case mouse(MouseEvent)
}

/// What the mouse did: the wheel, or a click at a screen cell.
public enum MouseEvent: Sendable, Equatable, Hashable {
    case wheelUp, wheelDown
    case click(x: Int, y: Int)
}

/// What a key asks for.
public enum KeyAction: Sendable, Equatable, CaseIterable {
    case down, up, pageDown, pageUp, halfPageDown, halfPageUp, top, bottom
    case detail, back, search, nextHit, previousHit, filter, sort
    case rerunRow, rerunFailed, rejudge, cancel, theme, statistics, help, quit
    case label, mark, reverseSort, mouse, export
}

/// Keys follow k9s, lazygit and htop habits: vim keys and arrows both, `/` and n/N, `?`, Esc, q.
public struct Keymap: Sendable {
    public struct Binding: Sendable {
        public let keys: [Key]
        public let action: KeyAction
        public let label: String
        public let help: String
    }

    public let bindings: [Binding]

    public static let standard = Keymap(bindings: [
        Binding(keys: [.char("j"), .down], action: .down, label: "j/↓", help: "next row"),
        Binding(keys: [.char("k"), .up], action: .up, label: "k/↑", help: "previous row"),
        Binding(keys: [.pageDown, .ctrl("f")], action: .pageDown, label: "PgDn ^f", help: "page down"),
        Binding(keys: [.pageUp, .ctrl("b")], action: .pageUp, label: "PgUp ^b", help: "page up"),
        Binding(keys: [.ctrl("d")], action: .halfPageDown, label: "^d", help: "half a page down"),
        Binding(keys: [.ctrl("u")], action: .halfPageUp, label: "^u", help: "half a page up"),
        Binding(keys: [.char("g"), .home], action: .top, label: "g/Home", help: "first row"),
        Binding(keys: [.char("G"), .end], action: .bottom, label: "G/End", help: "last row"),
        Binding(keys: [.enter], action: .detail, label: "Enter", help: "details of the row"),
        Binding(keys: [.escape], action: .back, label: "Esc", help: "back"),
        Binding(keys: [.char("/")], action: .search, label: "/", help: "search every shown field as you type (Esc returns)"),
        Binding(keys: [.char("n")], action: .nextHit, label: "n", help: "next search hit"),
        Binding(keys: [.char("N")], action: .previousHit, label: "N", help: "previous search hit"),
        Binding(keys: [.char("f")], action: .filter, label: "f", help: "filter: all/disagree/base wrong/judge wrong/unparseable verdict/failed"),
        Binding(keys: [.char("s")], action: .sort, label: "s", help: "sort: row, title, verdict, disagreement"),
        Binding(keys: [.char("S")], action: .reverseSort, label: "S", help: "reverse the sort"),
        Binding(keys: [.char("r")], action: .rerunRow, label: "r", help: "rerun the selected row"),
        Binding(keys: [.char("R")], action: .rerunFailed, label: "R", help: "rerun the failed stage of every failed row or unparseable verdict"),
        Binding(keys: [.char("J")], action: .rejudge, label: "J", help: "re-judge every row with another judge model"),
        Binding(keys: [.char("c")], action: .cancel, label: "c", help: "cancel the live batches"),
        Binding(keys: [.char("a")], action: .statistics, label: "a", help: "statistics and charts, full screen"),
        Binding(keys: [.char("L")], action: .label, label: "L", help: "label the seeded sample: y correct, n incorrect, s skip, u undo, v verdict"),
        Binding(keys: [.char("x")], action: .mark, label: "x", help: "mark the judge's verdict wrong here (a note is asked), or unmark"),
        Binding(keys: [.char("e")], action: .export, label: "e", help: "export the rows in view (filter and search) as CSV"),
        Binding(keys: [.char("M")], action: .mouse, label: "M", help: "mouse on/off (off: the terminal selects text)"),
        Binding(keys: [.char("t")], action: .theme, label: "t", help: "next theme"),
        Binding(keys: [.char("?")], action: .help, label: "?", help: "this help"),
        Binding(keys: [.char("q"), .ctrl("c")], action: .quit, label: "q", help: "quit (batches keep running at the provider)"),
    ])

    public func action(for key: Key) -> KeyAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }
}
