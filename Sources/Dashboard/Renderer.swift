import BatchAPI
import Foundation
import JudgeCore

/// Draws a whole frame from the view state. Pure: no terminal, so frames can be snapshot-tested.
public enum Renderer {
    public static func render(_ state: ViewState, theme: Theme, glyphs: Glyphs = .unicode) -> ScreenBuffer {
        var p = Painter(buffer: ScreenBuffer(width: state.width, height: state.height, style: theme[.normal]), theme: theme, glyphs: glyphs)
        let layout = Layout(width: state.width, height: state.height, state: state)
        if layout.tooSmall {
            let lines = ["terminal too small: \(state.width)×\(state.height)",
                         "judgetop needs \(Layout.minimumWidth)×\(Layout.minimumHeight); q quits"]
            for (i, line) in lines.enumerated() where i < state.height {
                p.text(line, 0, i, width: state.width, i == 0 ? .warn : .muted)
            }
            return p.buffer
        }
        header(&p, state, layout.header)
        progress(&p, state, layout.progress)
        table(&p, state, layout.table)
        let row = state.mode == .detail ? state.selectedRow : nil
        if layout.side.width > 0 {
            if let row { detail(&p, row, state.columns, layout.side) } else { accuracy(&p, state, layout.side, compact: false) }
        } else {
            if let row { detail(&p, row, state.columns, layout.table) }
            accuracy(&p, state, layout.bottom, compact: true)
        }
        footer(&p, state, layout.footer)
        if state.mode == .help { help(&p, state) }
        if state.mode == .statistics { StatisticsView.draw(&p, state) }
        if state.mode == .labelling { LabellingView.draw(&p, state) }
        if !glyphs.braille { p.buffer.foldToASCII() }
        return p.buffer
    }

    // MARK: Header and footer

    static func header(_ p: inout Painter, _ s: ViewState, _ r: Rect) {
        let h = s.header
        p.buffer.fill(x: 0, y: r.y, width: r.width, height: 1, style: p.theme[.header])
        var x = 0
        if h.simulated {
            x = p.buffer.put(" SIMULATED ", x: 0, y: r.y, style: p.theme[.simulated]) + 1
        }
        p.buffer.put(Painter.fit(headerText(s, width: r.width - x, separator: " \(p.glyphs.vertical) "), r.width - x, ellipsis: p.glyphs.ellipsis),
                     x: x, y: r.y, maxWidth: r.width - x, style: p.theme[.header])
    }

    /// What the run is and what it has cost, the parts that matter first: the spend and the models
    /// whose answers are shown outlast the provider and mode when the terminal is narrow, model names
    /// lose their provider prefix before anything is dropped, then the program's name goes, and what
    /// still does not fit ends in an ellipsis.
    static func headerText(_ s: ViewState, width: Int, separator: String) -> String {
        let h = s.header
        var spend: [String] = []
        let tokens = h.tokens.values.reduce(TokenCount(), +)
        let projected = s.projection
        if let cost = h.cost {
            spend.append(String(format: "spent %.4f", cost.total) + (projected?.cost.map { String(format: " of ~%.4f", $0) } ?? "") + " " + cost.currency)
        }
        if tokens.prompt + tokens.completion > 0 {
            spend.append("tokens \(Format.count(tokens.prompt))+\(Format.count(tokens.completion))" + (projected.map { " of ~" + Format.count($0.tokens) } ?? ""))
        }
        let clock = Format.duration((h.ended ?? s.now).timeIntervalSince(h.started))
        func parts(short: Bool, extras: Bool, named: Bool = true) -> [String] {
            let name = { (model: String) in short ? model.split(separator: " + ").map { $0.split(separator: "/").last.map(String.init) ?? String($0) }.joined(separator: " + ") : model }
            return (named ? ["judgetop"] : []) + ["run \(h.runID)"] + spend + [clock, "base \(name(h.baseModel))", "judge \(name(h.judgeModel))"]
                + (extras ? [h.provider, "\(h.mode) mode"] : [])
        }
        for (short, extras) in [(false, true), (true, true), (true, false)] {
            let text = parts(short: short, extras: extras).joined(separator: separator)
            if ScreenBuffer.width(of: text) <= width { return text }
        }
        // The program's name gives way before the spend and the clock; the models are cut last, at the end.
        return parts(short: true, extras: false, named: false).joined(separator: separator)
    }

    static func footer(_ p: inout Painter, _ s: ViewState, _ r: Rect) {
        switch s.mode {
        case .searching(let text):
            p.buffer.fill(x: 0, y: r.y, width: r.width, height: 1, style: p.theme[.input])
            p.text("/" + TerminalText.sanitize(text) + "▏", 0, r.y, width: r.width, .input)
        case .rejudging(let text):
            p.buffer.fill(x: 0, y: r.y, width: r.width, height: 1, style: p.theme[.input])
            p.text("re-judge with model: " + TerminalText.sanitize(text) + "▏  (Enter to start, Esc to cancel)", 0, r.y, width: r.width, .input)
        case .marking(let text):
            p.buffer.fill(x: 0, y: r.y, width: r.width, height: 1, style: p.theme[.input])
            let row = s.selectedRow.map { "row \($0.index + 1)" } ?? "this row"
            p.text("mark the judge's verdict on \(row) wrong; note (optional): " + TerminalText.sanitize(text) + "▏  (Enter marks, Esc cancels)",
                   0, r.y, width: r.width, .input)
        case .confirming(let question):
            p.buffer.fill(x: 0, y: r.y, width: r.width, height: 1, style: p.theme[.input])
            p.text(question + " Send? y/n", 0, r.y, width: r.width, .warn)
        case .labelling:
            p.text("y correct  n incorrect  s skip  u undo  v show the verdict  j/k move  Esc back to the table", 0, r.y, width: r.width, .accent)
        case .confirmQuit:
            let live = s.liveBatches
            p.text(live > 0 ? "\(live) batch\(live == 1 ? " is" : "es are") live: they keep running at the provider and `judgetop resume` reattaches. Quit? y/n"
                            : "Quit? y/n", 0, r.y, width: r.width, .warn)
        default:
            let hints = "j/k move  Enter detail  / search  f filter:\(s.filter.rawValue)  s sort:\(s.sort.rawValue)  a stats  r rerun  R rerun failed  J re-judge  c cancel  t theme  ? help  q quit"
            p.text(s.message.map { $0 + "  " + p.glyphs.vertical + "  " + hints } ?? hints, 0, r.y, width: r.width, s.message == nil ? .muted : .accent)
        }
    }

    // MARK: Progress

    static func progress(_ p: inout Painter, _ s: ViewState, _ r: Rect) {
        let live = s.liveBatches
        p.box(r, title: s.online != nil ? "Requests (online)" : "Batches: \(live) live of \(s.batches.count)")
        let inner = r.width - 4
        if let online = s.online {
            for (i, stage) in Stage.allCases.enumerated() where i < r.height - 2 {
                let done = online.answered[stage] ?? 0, failed = online.failed[stage] ?? 0
                let y = r.y + 1 + i
                let label = Painter.fit(stage.rawValue, 6, ellipsis: p.glyphs.ellipsis)
                let tail = String(format: " %3.0f%% %@/%@ %@failed %.0f/s conc %d", 100 * Double(done) / Double(max(1, online.rows)),
                                  Format.count(done), Format.count(online.rows), failed > 0 ? "\(failed) " : "0 ", online.requestsPerSecond, online.concurrency)
                p.text(label, r.x + 2, y, width: 6, .accent)
                let barWidth = max(4, inner - 7 - ScreenBuffer.width(of: tail))
                p.bar(Double(done) / Double(max(1, online.rows)), r.x + 9, y, width: barWidth)
                p.text(tail, r.x + 9 + barWidth, y, width: inner - 7 - barWidth)
            }
            return
        }
        if s.batches.isEmpty {
            let none = s.finished ? (s.header.mode == RunMode.online.rawValue ? "no batch: this run sent its requests online" : "no batch")
                : "no batch yet: preparing the first batch file"
            p.text(none, r.x + 2, r.y + 1, width: inner, .muted)
            return
        }
        // Live batches first, then the most recent finished ones.
        let ordered = s.batches.filter(\.isLive) + s.batches.filter { !$0.isLive }.reversed()
        for (i, batch) in ordered.prefix(r.height - 2).enumerated() {
            batchLine(&p, batch, now: s.now, x: r.x + 2, y: r.y + 1 + i, width: inner)
        }
    }

    /// The batch line's inner width from which it has a sparkline (a 96-column screen), and its width.
    static let sparklineMinimumWidth = 92
    static let sparklineWidth = 12

    static func batchLine(_ p: inout Painter, _ b: BatchLine, now: Date, x: Int, y: Int, width: Int) {
        let done = b.completed + b.failed
        let fraction = b.total > 0 ? Double(done) / Double(b.total) : 0
        let end = b.finished ?? now
        let elapsed = end.timeIntervalSince(b.started)
        let rate = elapsed > 1 && done > 0 ? Double(done) / elapsed : nil
        var tail = String(format: " %3.0f%% %@/%@", fraction * 100, Format.count(done), Format.count(b.total))
        if b.failed > 0 { tail += " \(p.glyphs.fail)\(b.failed)" }
        if let rate { tail += String(format: rate < 10 ? " %.1f/s" : " %.0f/s", rate) }
        let quiet = now.timeIntervalSince(b.lastAnswer ?? b.started)
        // A batch with no answer yet shows its age; one whose answers stopped a minute ago says so.
        let idle = b.isLive && done > 0 && quiet >= BatchLine.idleAfter
        if b.isLive, done == 0 {
            tail += " age " + Format.duration(elapsed)
        } else if idle {
            tail += " idle " + Format.duration(quiet)
        } else if b.isLive, let rate, elapsed > 5, fraction > 0.05, fraction < 1 {
            tail += " ETA ~" + Format.duration(Double(b.total - done) / rate)
        } else if b.status == .finalizing {
            tail += " finalizing"
        } else if !b.isLive {
            tail += " " + Format.duration(elapsed)
        }
        let spinner = p.glyphs.spinner[Int(now.timeIntervalSince1970 * 4) % p.glyphs.spinner.count]
        let glyph = b.isLive ? spinner : (b.status.endedShort ? p.glyphs.fail : p.glyphs.ok)
        let head = "\(glyph) \(Painter.fit(b.stage.rawValue, 5, ellipsis: p.glyphs.ellipsis)) \(Painter.fit(b.id, 16, ellipsis: p.glyphs.ellipsis)) \(Painter.fit(b.shownStatus, 11, ellipsis: p.glyphs.ellipsis)) "
        let statusToken: StyleToken = b.isLive ? (idle ? .warn : .accent) : (b.status.endedShort ? .fail : .ok)
        p.text(head, x, y, width: width, statusToken)
        var headWidth = ScreenBuffer.width(of: head)
        // Wide screens: answers a second over the batch's life, between its progress reports.
        if width >= sparklineMinimumWidth {
            p.text(ChartText.sparkline(b.rates, width: sparklineWidth, glyphs: p.glyphs) + " ", x + headWidth, y, width: sparklineWidth + 1, .accent)
            headWidth += sparklineWidth + 1
        }
        let barWidth = max(0, width - headWidth - ScreenBuffer.width(of: tail))
        p.bar(fraction, x + headWidth, y, width: barWidth)
        p.text(tail, x + headWidth + barWidth, y, width: width - headWidth - barWidth)
    }

    // MARK: Table

    static func table(_ p: inout Painter, _ s: ViewState, _ r: Rect) {
        let title = "Items \(s.visible.isEmpty ? 0 : s.selected + 1)/\(s.visible.count)" + (s.filter == .all ? "" : " (\(s.filter.rawValue))")
        p.box(r, title: title)
        let inner = r.width - 2
        guard inner > 20, r.height > 3 else { return }
        // Columns: row, title, truth, base answer, judge label, verdict, disagreement marker; a task
        // without truth or without a judge label has no column for it (width 0, no space).
        let c = s.columns
        let truthShown = c.truth != nil, judgeShown = c.judgeLabel != nil
        let baseWidth = c.freeText ? 0 : 12  // 0: the flexible share
        // Fixed widths, and a space after each shown column but the last.
        let fixed = 6 + baseWidth + (judgeShown ? 10 : 0) + 9 + 3 + 4 + (truthShown ? 1 : 0) + (judgeShown ? 1 : 0)
        let flexible = max(10, inner - fixed)
        let titleWidth = truthShown || baseWidth == 0 ? flexible * 11 / 20 : flexible
        let rest = flexible - titleWidth
        let widths = [6, titleWidth, truthShown ? rest : 0, baseWidth > 0 ? baseWidth : rest, judgeShown ? 10 : 0, 9, 1, 1]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).filter { $0.1 > 0 }.map { Painter.fit($0, $1, ellipsis: p.glyphs.ellipsis) }.joined(separator: " ")
        }
        var headings = ["#", "TITLE", c.truth ?? "", "BASE", c.judgeLabel ?? "", "VERDICT", p.glyphs.disagree, p.glyphs.mark]
        // The sorted column says so, and which way.
        let arrow = s.sortDescending ? p.glyphs.descending : p.glyphs.ascending
        switch s.sort {
        case .row: headings[0] += arrow
        case .title: headings[1] += arrow
        case .verdict: headings[5] += arrow
        case .disagreement: headings[6] = arrow
        }
        p.text(line(headings), r.x + 1, r.y + 1, width: inner, .title)
        let rows = max(0, r.height - 3)
        for i in 0..<rows {
            let position = s.scroll + i
            guard position < s.visible.count else { break }
            let row = s.rows[s.visible[position]]
            let y = r.y + 2 + i
            let base: String
            switch row.base {
            case .failed: base = "FAILED"
            case .missing: base = "…"
            default: base = row.baseAnswer ?? ""
            }
            let judge: String
            switch row.judge {
            case .failed: judge = "FAILED"
            case .missing: judge = row.baseAnswer == nil ? "" : "…"
            default: judge = row.judgeLabel
            }
            let verdict = row.verdict?.rawValue ?? ""
            let cells = [String(row.index + 1), row.title, row.truth, base, judge, verdict, row.disagrees ? p.glyphs.disagree : "",
                         row.mark != nil ? p.glyphs.mark : ""]
            let selected = position == s.selected
            p.text(line(cells), r.x + 1, y, width: inner)
            // Colour by meaning: right answers green, wrong red, unparseable and failed amber.
            let offsets = widths.reduce(into: [0]) { $0.append($0.last! + $1 + ($1 > 0 ? 1 : 0)) }
            p.buffer.restyle(x: r.x + 1 + offsets[3], y: y, width: widths[3], style: p.theme[token(row.base)])
            p.buffer.restyle(x: r.x + 1 + offsets[4], y: y, width: widths[4], style: p.theme[token(row.judge)])
            if row.disagrees { p.buffer.restyle(x: r.x + 1 + offsets[6], y: y, width: widths[6], style: p.theme[.disagree]) }
            if row.mark != nil { p.buffer.restyle(x: r.x + 1 + offsets[7], y: y, width: widths[7], style: p.theme[.warn]) }
            if !s.search.isEmpty { p.highlight(s.search, x: r.x + 1, y: y, width: inner) }
            if selected { p.select(x: r.x + 1, y: y, width: inner) }
        }
        if s.visible.isEmpty {
            p.text(s.rows.isEmpty ? "waiting for the first answers" : "no rows match the filter \(s.filter.rawValue) (f to change)",
                   r.x + 2, r.y + 2, width: inner - 2, .muted)
        }
    }

    static func token(_ answer: RowView.Answer) -> StyleToken {
        switch answer {
        case .right: return .ok
        case .wrong: return .fail
        case .unparseable, .failed: return .warn
        case .missing: return .muted
        case .unscored: return .normal
        }
    }

    // MARK: Accuracy

    static func accuracy(_ p: inout Painter, _ s: ViewState, _ r: Rect, compact: Bool) {
        guard r.height >= 3 else { return }
        p.box(r, title: s.header.simulated ? "Accuracy (SIMULATED models)" : "Accuracy, 95% intervals")
        let inner = r.width - 4
        guard let report = s.report else {
            p.text("appears as answers arrive", r.x + 2, r.y + 1, width: inner, .muted)
            return
        }
        let m = report.metrics, t = report.trust
        // Compact: two decimals in the interval, so two columns fit in 80.
        func pair(_ v: Proportion) -> String {
            let i = v.interval.map { compact ? String(format: "[%.2f–%.2f]", $0.low, $0.high) : Format.interval(($0.low, $0.high)) } ?? ""
            return "\(Format.value(v.value)) \(i)"
        }
        let labelWidth = compact ? 13 : 16
        func label(_ wide: String, _ narrow: String) -> String {
            (compact ? narrow : wide).padding(toLength: labelWidth, withPad: " ", startingAt: 0)
        }
        var lines: [(String, StyleToken)] = [(label("judge says ok", "judge-det.") + pair(m.judgeDetermined), .normal)]
        // Without truth (or labels), the figures against it do not exist: say why, once.
        if let why = report.identity.truthAbsence {
            lines.append((why, .muted))
            lines.append(("estimates wait for labels", .muted))
            appendCounts(&lines, s)
            draw(&p, lines, r, compact: compact)
            return
        }
        let noun = report.identity.vocabulary.label
        lines += [
            (label("base vs truth", "base/truth") + pair(m.baseVsTruth), .normal),
            (label("judge's \(noun)", "judge \(noun)") + pair(m.judgeVsTruth), .normal),
            (label("always \(m.majorityLabel ?? "—")", "always \(m.majorityLabel ?? "—")") + pair(m.majorityBaseline), .muted),
        ]
        let c = m.confusion
        // The verdicts against the truth: a different question from the judge's own genre above.
        lines.append(("verdicts: TPR \(Format.value(t.tpr.value)) TNR \(Format.value(t.tnr.value)) κ \(Format.value(t.kappa.value))", .accent))
        lines.append(("tp \(c.tp) fp \(c.fp) fn \(c.fn) tn \(c.tn)", .muted))
        if let plus = t.ppiPlusPlus.value {
            lines.append(("PPI++ \(Format.value(plus)) \(Format.interval(t.ppiPlusPlus.interval.map { ($0.low, $0.high) })) (\(t.sample.labelled) labels)", .accent))
        }
        if !compact, let rg = t.roganGladen.value {
            lines.append(("Rogan–Gladen \(Format.value(rg)) \(Format.interval(t.roganGladen.interval.map { ($0.low, $0.high) }))", .normal))
        }
        if !compact, let labels = t.labelsOnly.value {
            lines.append(("labels only \(Format.value(labels)) \(Format.interval(t.labelsOnly.interval.map { ($0.low, $0.high) }))", .normal))
        }
        appendCounts(&lines, s)
        draw(&p, lines, r, compact: compact)
    }

    private static func appendCounts(_ lines: inout [(String, StyleToken)], _ s: ViewState) {
        let counts = s.counts
        // "unparseable": verdicts only (the filter and the help say so); a base answer is always an answer.
        if counts.marked > 0 { lines.append(("judge errors marked: \(counts.marked)", .warn)) }
        lines.append(("pending \(counts.pending)  failed \(counts.failed)  unparseable \(counts.unparseable)",
                      counts.failed + counts.unparseable > 0 ? .warn : .muted))
    }

    private static func draw(_ p: inout Painter, _ lines: [(String, StyleToken)], _ r: Rect, compact: Bool) {
        let inner = r.width - 4
        if compact {
            // Two columns, to fit under the table on narrow screens.
            // Two columns with a gap, each cut with an ellipsis, so that they never run together.
            let half = (inner - 2) / 2
            for i in 0..<(r.height - 2) {
                for column in 0..<2 where i * 2 + column < lines.count {
                    let (text, token) = lines[i * 2 + column]
                    p.text(Painter.fit(text, half, ellipsis: p.glyphs.ellipsis), r.x + 2 + column * (half + 2), r.y + 1 + i, width: half, token)
                }
            }
        } else {
            for (i, (text, token)) in lines.prefix(r.height - 2).enumerated() { p.text(text, r.x + 2, r.y + 1 + i, width: inner, token) }
        }
    }

    // MARK: Detail and help

    static func detail(_ p: inout Painter, _ row: RowView, _ columns: TaskColumns, _ r: Rect) {
        p.box(r, title: "Row \(row.index + 1)  (Esc back)")
        let inner = r.width - 4
        var lines: [(String, StyleToken)] = [(row.title, .title)]
        if let truth = columns.truth { lines.append(("\(truth.lowercased()): \(row.truth.isEmpty ? "none for this item" : row.truth)", .normal)) }
        for (name, value) in zip(columns.fields, row.fields) { lines.append(("\(name): " + value, .normal)) }
        lines.append(("base answer: \(row.baseAnswer.map { "\"\($0)\"" } ?? "none")", token(row.base)))
        lines.append(("judge answer: \(row.judgeAnswer.map { "\"\($0)\"" } ?? "none")", token(row.judge)))
        if row.disagrees { lines.append(("the verdict disagrees with the truth", .disagree)) }
        if let note = row.mark { lines.append(("marked: the judge's verdict is wrong here" + (note.isEmpty ? "" : ": \(note)"), .warn)) }
        // Attempts are the times a request was sent (an answered one counts its answering attempt).
        for (stage, request) in [("base", row.baseRequest), ("judge", row.judgeRequest)] {
            let sent = switch request.attempts {
            case 0: "not sent"
            case 1: "sent once"
            default: "sent \(request.attempts) times"
            }
            var text = "\(stage)-\(row.index) (custom_id): \(sent)"
            if let error = request.error { text += ", last error: \(error)" }
            lines.append((text, .muted))
        }
        for earlier in row.previousJudgements { lines.append(("earlier judgement: \(earlier)", .muted)) }
        let wrapped = lines.flatMap { text, token in Painter.wrap(text, width: inner, lines: 8).map { ($0, token) } }
        for (i, (text, token)) in wrapped.prefix(r.height - 2).enumerated() { p.text(text, r.x + 2, r.y + 1 + i, width: inner, token) }
    }
}
