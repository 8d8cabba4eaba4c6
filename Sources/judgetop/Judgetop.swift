import ArgumentParser
import Foundation
import Pipeline

/// judgetop: measure a model without ground truth by having a larger model judge it.
@main
struct Judgetop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judgetop",
        abstract: "Evaluate a small model with a larger judge over OpenAI-compatible batch APIs.",
        discussion: "With no API key and no provider named, runs against the embedded simulator (simulated models).",
        subcommands: [RunCommand.self, ResumeCommand.self, RunsCommand.self, ReportCommand.self, CancelCommand.self,
                      CompareCommand.self, OpenCommand.self, LabelsCommand.self, TasksCommand.self, TaskCommand.self, ServeSimCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// Exit status (docs/command-line.md): 0 done, 1 run failed, 2 usage or input error.
    static func main() async {
        tuneHeap()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Console.error("judgetop: \(failure.message)")
            Foundation.exit(failure.status)
        } catch let error as StoreError {
            // A run that is not there or cannot be read: the person's input, not a failed run.
            Console.error("judgetop: \(error.description)")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Console.out(fullMessage(for: error))
                Foundation.exit(0)
            }
            Console.error(fullMessage(for: error))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A failure with the exit status it maps to and the words a person needs.
struct CommandFailure: Error {
    let status: Int32
    let message: String

    static func input(_ message: String) -> CommandFailure { CommandFailure(status: 2, message: message) }
    static func run(_ message: String) -> CommandFailure { CommandFailure(status: 1, message: message) }
}
