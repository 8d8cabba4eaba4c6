/// The help overlay's geometry: every key in one column when it fits, else two, scrolled when
/// even two do not fit (a 60×16 terminal). The reducer and the renderer share it.
struct HelpLayout {
    let box: Rect
    /// Each line of the overlay: one binding, or two side by side.
    let lines: [[Keymap.Binding]]
    let visibleLines: Int
    let columnWidth: Int

    var maximumScroll: Int { max(0, lines.count - visibleLines) }

    init(state s: ViewState, keymap: Keymap) {
        let bindings = keymap.bindings
        let width = min(s.width - 4, 100)
        let columns = bindings.count + 4 <= s.height - 2 ? 1 : 2
        let perColumn = (bindings.count + columns - 1) / columns
        lines = (0..<perColumn).map { line in (0..<columns).compactMap { c in bindings.indices.contains(c * perColumn + line) ? bindings[c * perColumn + line] : nil } }
        let height = min(s.height - 2, perColumn + 3)
        box = Rect(x: (s.width - width) / 2, y: (s.height - height) / 2, width: width, height: height)
        visibleLines = max(1, height - 3)
        columnWidth = (width - 4) / columns
    }
}

extension Renderer {
    static func help(_ p: inout Painter, _ s: ViewState, keymap: Keymap = .standard) {
        let layout = HelpLayout(state: s, keymap: keymap)
        let r = layout.box
        let top = min(s.helpScroll, layout.maximumScroll)
        p.buffer.fill(x: r.x, y: r.y, width: r.width, height: r.height, style: p.theme[.help])
        let shown = layout.maximumScroll > 0 ? " \(top + 1)–\(min(layout.lines.count, top + layout.visibleLines)) of \(layout.lines.count)," : ""
        p.box(r, title: "Keys\(shown) (j/k scroll, Esc closes)")
        for (i, line) in layout.lines.dropFirst(top).prefix(layout.visibleLines).enumerated() {
            for (column, binding) in line.enumerated() {
                p.text(Painter.fit(binding.label, 8, ellipsis: p.glyphs.ellipsis) + " " + binding.help,
                       r.x + 2 + column * layout.columnWidth, r.y + 1 + i, width: layout.columnWidth - 1, .help)
            }
        }
        p.text("themes: t cycles \(Theme.shippedNames.joined(separator: ", ")); --theme NAME", r.x + 2, r.y + r.height - 2, width: r.width - 4, .muted)
    }
}
