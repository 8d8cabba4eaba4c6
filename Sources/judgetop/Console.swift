import Foundation

/// Unbuffered output, so lines appear at once even when stdout is a pipe or a log file.
enum Console {
    static func out(_ line: String = "") {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
