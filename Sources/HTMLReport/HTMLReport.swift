import Foundation
import JudgeCore
import Plot

/// `judgetop report RUN --format html`: one self-contained page to share. No script, font, image or
/// link: the charts are inline SVG, the style sheet is inline, and a content security policy
/// forbids every load, so the page shows the same offline, printed or mailed.
public enum HTMLReport {
    /// Items listed for review; the csv report has every row.
    public static let listedItems = 200

    public static func render(_ report: Report, review: ReviewItems, generatedAt: Date = Date()) -> String {
        let id = report.identity
        let charts = ReportCharts(report)
        let html = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.attribute(named: "http-equiv", value: "Content-Security-Policy"),
                      .content("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", nodes: [.safe("judgetop report: run \(id.runID)")]),
                .element(named: "style", nodes: [.raw(HTMLStyle.css)])
            ),
            .body(
                .header(
                    .h1(.safe("judgetop report: run \(id.runID)")),
                    .p(.class("lede"), .safe("Task \(id.task), \(report.metrics.rows) items, \(id.status.rawValue).")),
                    .if(id.simulated, .p(.class("simulated"), .safe(Report.simulatedNote)))
                ),
                settings(report),
                headline(report),
                estimates(report, charts),
                trust(report, charts),
                perLabel(report, charts),
                reviewSection(review, report),
                .footer(.safe("Written by judgetop on \(ISO8601DateFormatter().string(from: generatedAt)) from the run's store. "
                    + "Every figure here is also in `judgetop report \(id.runID) --format json`."))
            )
        )
        return html.render()
    }

    // MARK: Sections

    static func settings(_ r: Report) -> Node<HTML.BodyContext> {
        let id = r.identity, t = r.totalTokens
        var rows: [(String, String)] = [
            ("task", id.task), ("dataset", id.dataset), ("provider", "\(id.provider.rawValue) (\(id.baseURL))"), ("mode", id.mode.rawValue),
            ("base model", id.baseModel + (id.simulated ? " [simulated]" : "")), ("judge model", id.judgeModel + (id.simulated ? " [simulated]" : "")),
            ("status", id.status.rawValue), ("tokens", "prompt \(t.prompt), completion \(t.completion)"),
        ]
        if let cost = r.cost { rows.append(("cost", cost.text)) }
        return section("settings", "Settings", [keyValueTable(rows)])
    }

    static func headline(_ r: Report) -> Node<HTML.BodyContext> {
        let rows = r.accuracies.map { key, label, p -> [Cell] in
            guard let v = p.value else { return [.text(label), .text(r.missing(key)), .text(""), .number("\(p.total)")] }
            return [.text(label), .number(String(format: "%.3f", v)), .number(ReportText.interval(p.interval)), .number("\(p.total)")]
        }
        return section("headline", "Headline figures", [
            .p(.class("muted"), .safe("Strict match, Wilson 95% intervals; n is each figure's denominator.")),
            table(["figure", "value", "95% interval", "n"], rows),
        ])
    }

    static func estimates(_ r: Report, _ charts: ReportCharts) -> Node<HTML.BodyContext> {
        let t = r.trust
        let rows = t.estimates.map { e -> [Cell] in
            let name = TrustAnalysis.methodNames[e.method] ?? e.method
            guard let v = e.value else { return [.text(name), .text("undefined: " + (e.undefinedReason ?? "")), .text(""), .text("")] }
            return [.text(name), .number(String(format: "%.3f", v)), .number(ReportText.interval(e.interval)), .text(ReportText.shortMethod(e.intervalMethod))]
        }
        let share = t.population > 0 ? Double(t.sample.labelled) / Double(t.population) * 100 : 0
        return section("estimates", "The base model's accuracy", [
            .p(.safe("\(t.sample.labelled) of \(t.population) items labelled \(t.source == .human ? "by people" : "by their truth") (\(String(format: "%.0f", share))%, seeded uniform subset, seed \(t.plan.seed)). "
                + "The corrected estimates combine those labels with the judge's verdicts on every item.")),
            figure(SVGCharts.forest(charts), "Each estimate with its 95% interval; the diamond is the truth on every item, when the dataset has it."),
            table(["method", "value", "95% interval", "interval"], rows),
            .forEach(ReportText.peopleLines(t, marked: r.judgeErrorsMarked)) { .p(.safe($0)) },
            .p(.class("muted"), .safe("What these estimates assume:")),
            .ul(.forEach(TrustAnalysis.assumptions(r.identity.vocabulary)) { .li(.safe($0)) }),
        ])
    }

    static func trust(_ r: Report, _ charts: ReportCharts) -> Node<HTML.BodyContext> {
        if let why = r.identity.truthAbsence {
            return section("trust", "How far the judge can be trusted", [.p(.safe("\(why): the judge's agreement with the truth waits for labels."))])
        }
        let rows = r.trust.ratedJudgeMetrics(r.identity.vocabulary).map { key, rated -> [Cell] in
            guard let v = rated.value else { return [.text(key), .text("undefined: " + (rated.undefinedReason ?? "")), .text(""), .text("")] }
            return [.text(key), .number(String(format: "%.3f", v)), .number(rated.intervalNote == nil ? ReportText.interval(rated.interval) : "none"),
                    .text(rated.intervalNote ?? ReportText.shortMethod(rated.intervalMethod))]
        }
        return section("trust", "How far the judge can be trusted", [
            charts.verdicts.map { figure(SVGCharts.heatMap($0), "Rows: whether the base answer is truly correct; columns: the judge's verdict.") } ?? .empty,
            table(["figure", "value", "95% interval", "interval"], rows),
        ])
    }

    static func perLabel(_ r: Report, _ charts: ReportCharts) -> Node<HTML.BodyContext> {
        let noun = r.identity.vocabulary.label
        guard !charts.bars.isEmpty else { return .empty }
        let rows = r.trust.perLabel.filter { $0.rows > 0 }.map { g -> [Cell] in
            [.text(g.label), .number("\(g.rows)"), .number(g.baseAccuracy.value.map { String(format: "%.3f", $0) } ?? "—"),
             .number(ReportText.interval(g.baseAccuracy.interval)), .number(g.judgeAccuracy.value.map { String(format: "%.3f", $0) } ?? "—"),
             .number("\(g.basePredicted)")]
        }
        return section("per-label", "Per \(noun)", [
            figure(SVGCharts.bars(charts), "The base model's strict accuracy on the items tagged with each \(noun), best first, with Wilson 95% whiskers; the dashed line is the majority baseline."),
            charts.labels.map { figure(SVGCharts.heatMap($0), "The base model's answers against the true \(noun), for the \(ReportCharts.heatMapLabels) most frequent; the rest fold into \"other\", and \"none\" is an answer naming no \(noun).") } ?? .empty,
            table([noun, "items", "base accuracy", "95% interval", "judge's \(noun) accuracy", "base answered it"], rows),
        ])
    }

    static func reviewSection(_ review: ReviewItems, _ r: Report) -> Node<HTML.BodyContext> {
        let shown = review.items.prefix(listedItems)
        let more = review.items.count > shown.count
            ? " The first \(shown.count) are listed; `judgetop report \(r.identity.runID) --format csv` has every row." : ""
        let rows = shown.map { item -> [Cell] in
            var cells: [Cell] = [.number("\(item.row + 1)"), .text(item.title)]
            if review.againstTruth { cells.append(.text(item.truth.joined(separator: ", "))) }
            cells.append(.text(item.baseAnswer))
            if r.identity.hasLabels { cells.append(.text(item.judgeLabel ?? "")) }
            cells.append(.verdict(item.verdict))
            return cells
        }
        var header = ["#", "title"]
        if review.againstTruth { header.append("truth") }
        header.append("base answer")
        if r.identity.hasLabels { header.append("judge's \(r.identity.vocabulary.label)") }
        header.append("verdict")
        return section("review", review.heading, [
            .p(.class("muted"), .safe("\(review.items.count) items.\(more)")),
            review.items.isEmpty ? .p(.safe("None.")) : table(header, rows),
        ])
    }
}
