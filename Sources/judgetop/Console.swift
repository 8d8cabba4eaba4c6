import Foundation
import JudgeCore

/// Everything judgetop prints goes out here, unbuffered (lines appear at once even when stdout is
/// a pipe or a log file) and through the one sanitiser: dataset fields, provider messages and ids,
/// and model answers all reach the terminal with their control and escape characters made visible,
/// whichever printer they came through. Line breaks are kept; nothing else below a space is.
enum Console {
    static func out(_ line: String = "") {
        FileHandle.standardOutput.write(Data((TerminalText.sanitize(line, keepNewlines: true) + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((TerminalText.sanitize(line, keepNewlines: true) + "\n").utf8))
    }
}
