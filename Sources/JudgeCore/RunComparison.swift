import Foundation

/// Two runs on the same rows (two base models, two judges, two prompts), compared pair by pair.
public struct RunComparison: Sendable {
    public struct Line: Sendable {
        public let metric: String
        public let accuracyA: Double?
        public let accuracyB: Double?
        public let paired: PairedComparison
    }

    public let rows: Int
    public let lines: [Line]

    public enum Mismatch: Error, CustomStringConvertible {
        case differentRows(String)
        public var description: String {
            if case .differentRows(let why) = self { return "the runs are not on the same rows: \(why)" }
            return ""
        }
    }

    /// Pairs rows by index; both runs must hold the same rows (same count and titles).
    /// `scoring`: how each run's task reads its answers.
    public static func compute(_ a: [RowOutcome], _ b: [RowOutcome], scoring: (Scoring, Scoring) = (.tutorial, .tutorial)) throws -> RunComparison {
        guard a.count == b.count else { throw Mismatch.differentRows("\(a.count) rows against \(b.count)") }
        if let i = a.indices.first(where: { a[$0].row.title != b[$0].row.title || a[$0].row.index != b[$0].row.index }) {
            throw Mismatch.differentRows("row \(a[i].row.index) is \"\(TerminalText.sanitize(a[i].row.title))\" in one and \"\(TerminalText.sanitize(b[i].row.title))\" in the other")
        }
        let metrics: [(String, (RowOutcome, Scoring) -> Bool?)] = [
            ("base vs truth", { o, scoring in
                guard let raw = o.baseAnswer, !o.row.truth.isEmpty, scoring.labels != nil else { return nil }
                return scoring.base(raw).isCorrectStrict(truth: o.row.truth)
            }),
            ("judge's label vs truth", { o, scoring in
                guard let raw = o.judgeAnswer, !o.row.truth.isEmpty, scoring.verdict.hasLabel else { return nil }
                let answer = scoring.judge(raw)
                return answer.verdict == .unparseable ? nil : answer.labelIsCorrectStrict(truth: o.row.truth)
            }),
            ("judge says correct", { o, scoring in
                guard let raw = o.judgeAnswer else { return nil }
                let verdict = scoring.judge(raw).verdict
                return verdict == .unparseable ? nil : verdict == .correct
            }),
        ]
        let lines = metrics.map { name, score in
            var onlyA = 0, onlyB = 0, n = 0, rightA = 0, rightB = 0
            for (x, y) in zip(a, b) {
                guard let sa = score(x, scoring.0), let sb = score(y, scoring.1) else { continue }
                n += 1
                if sa { rightA += 1 }
                if sb { rightB += 1 }
                if sa && !sb { onlyA += 1 }
                if !sa && sb { onlyB += 1 }
            }
            return Line(metric: name, accuracyA: n > 0 ? Double(rightA) / Double(n) : nil,
                        accuracyB: n > 0 ? Double(rightB) / Double(n) : nil, paired: PairedComparison(a: rightA - onlyA, b: onlyA, c: onlyB, n: n))
        }
        return RunComparison(rows: a.count, lines: lines)
    }
}
