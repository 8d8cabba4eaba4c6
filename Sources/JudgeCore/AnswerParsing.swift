/// A judge's verdict on the base answer: three states, so that a malformed answer is never
/// silently counted as "incorrect".
public enum Verdict: String, Sendable, Codable, Equatable {
    case correct
    case incorrect
    case unparseable
}

/// What the base model answered, read both ways the statistics define.
public struct BaseAnswer: Sendable, Equatable {
    public let raw: String
    /// The answer exactly as given when it is one of the labels (the tutorial's strict rule).
    public let strictLabel: String?
    /// The label the answer names after trimming, case-folding and dropping punctuation.
    public let lenientLabel: String?

    public init(raw: String) {
        self.raw = raw
        strictLabel = Genres.all.contains(raw) ? raw : nil
        lenientLabel = Genres.lenientMatch(raw)
    }

    /// Names no genre even read leniently. Still an answer: wrong under the strict rule, and
    /// counted in every denominator.
    public var isUnparseable: Bool { lenientLabel == nil }

    /// Strict: the answer string is exactly one of the true genres.
    public func isCorrectStrict(truth: [String]) -> Bool { truth.contains(raw) }

    public func isCorrectLenient(truth: [String]) -> Bool {
        guard let label = lenientLabel else { return false }
        return truth.contains(label)
    }
}

/// The judge's `Prediction,Evaluation` answer.
public struct JudgeAnswer: Sendable, Equatable {
    public let raw: String
    /// The judge's own genre, as written (trimmed).
    public let genre: String?
    /// That genre read leniently onto the label set (nil when it names none).
    public let lenientGenre: String?
    public let verdict: Verdict

    public init(raw: String) {
        self.raw = raw
        let parts = raw.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            genre = nil
            lenientGenre = nil
            verdict = .unparseable
            return
        }
        let evaluation = Genres.fold(String(parts[1]))
        var predicted = parts[0]
        while predicted.first?.isWhitespace == true { predicted.removeFirst() }
        while predicted.last?.isWhitespace == true { predicted.removeLast() }
        genre = predicted.isEmpty ? nil : String(predicted)
        lenientGenre = genre.flatMap(Genres.lenientMatch)
        switch evaluation {
        case "correct": verdict = .correct
        case "incorrect": verdict = .incorrect
        default: verdict = .unparseable
        }
    }

    /// Strict: the judge's genre is exactly one of the true genres (the tutorial's rule).
    public func genreIsCorrectStrict(truth: [String]) -> Bool {
        guard let genre else { return false }
        return truth.contains(genre)
    }

    public func genreIsCorrectLenient(truth: [String]) -> Bool {
        guard let lenientGenre else { return false }
        return truth.contains(lenientGenre)
    }
}

import Foundation

/// Reads answers once per distinct text: a run's answers repeat (a few dozen genres and verdicts),
/// so the report parses each text once instead of once per row.
public struct AnswerReader {
    private var base = TextMemo<BaseAnswer>()
    private var judge = TextMemo<JudgeAnswer>()

    public init() {}

    public mutating func base(_ raw: String) -> BaseAnswer { base.value(for: raw, BaseAnswer.init(raw:)) }

    public mutating func judge(_ raw: String) -> JudgeAnswer { judge.value(for: raw, JudgeAnswer.init(raw:)) }
}
