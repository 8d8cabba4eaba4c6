/// One chat request as the task defines it, before any wire format: the provider layer encodes it.
public struct ChatPrompt: Sendable, Equatable {
    public let model: String
    public let system: String
    /// The user's message in the pieces the task composes it of: a batch line escapes each piece into
    /// place, where joining them first made and copied each judge message once more.
    public let userParts: [String]
    public let temperature: Double

    public var user: String { userParts.count == 1 ? userParts[0] : userParts.joined() }

    public init(model: String, system: String, user: String, temperature: Double) {
        self.init(model: model, system: system, userParts: [user], temperature: temperature)
    }

    public init(model: String, system: String, userParts: [String], temperature: Double) {
        self.model = model
        self.system = system
        self.userParts = userParts
        self.temperature = temperature
    }

    public static func == (lhs: ChatPrompt, rhs: ChatPrompt) -> Bool {
        lhs.model == rhs.model && lhs.system == rhs.system && lhs.user == rhs.user && lhs.temperature == rhs.temperature
    }
}

/// The two stages of an evaluation.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case base
    case judge
}

/// The evaluation task: the tutorial's genre classification, judged by a larger model.
public struct EvalTask: Sendable, Equatable {
    public static let defaultBaseModel = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo"
    public static let defaultJudgeModel = "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"
    public static let defaultTemperature = 0.5

    public var baseModel: String
    public var judgeModel: String
    public var temperature: Double

    public init(baseModel: String = defaultBaseModel, judgeModel: String = defaultJudgeModel,
                temperature: Double = defaultTemperature) {
        self.baseModel = baseModel
        self.judgeModel = judgeModel
        self.temperature = temperature
    }

    public func basePrompt(for row: MovieRow) -> ChatPrompt {
        ChatPrompt(model: baseModel, system: Self.baseSystemPrompt, user: row.overview, temperature: temperature)
    }

    public func judgePrompt(for row: MovieRow, baseAnswer: String) -> ChatPrompt {
        ChatPrompt(model: judgeModel, system: Self.judgeSystemPrompt,
                   userParts: Self.judgeUserParts(overview: row.overview, baseAnswer: baseAnswer), temperature: temperature)
    }

    /// The per-row judge message, in pieces: overview, genre list and the base answer in double
    /// quotes.
    static func judgeUserParts(overview: String, baseAnswer: String) -> [String] {
        ["\nMovie Description: ", overview, judgeMessageMiddle, baseAnswer, "\"\n"]
    }

    private static let judgeMessageMiddle = ".\nAvailable Genres: \(Genres.promptList)\nBase model answer: \""

    public static let baseSystemPrompt = """

    You are a helpful assistant who classifies movie genres based on the provided description. Choose one of the following options:
    \(Genres.promptList).
    Provide your response as a single word with the matching genre. Don't include punctuation.

    """

    public static let judgeSystemPrompt = """

    You will receive a movie description, a list of possible genres, and a predicted movie genre made by another LLM (base model).
    Your task is to evaluate whether the predicted genre is ‘correct’ or ‘incorrect’ based on the following steps and requirements.
    Steps to Follow:
    1. Carefully read the movie description.
    2. Determine your own classification of the genre for the movie. Do not rely on the base model answer since it may be incorrect.
    3. Do not rely on individual words to identify the genre; read the whole description to identify the genre.
    4. Read the base model answer (enclosed in double quotes) and evaluate if it is correct by following the Evaluation Criteria below.
    5. Provide your evaluation as 'correct' or 'incorrect'.
    Evaluation Criteria:
    - If the base model answer (enclosed in double quotes) does not align with the movie description, the evaluation should be ‘incorrect’.
    - The first letter of the base model answer (enclosed in double quotes) must be capitalized (e.g., Drama). If it has any other capitalization, the evaluation should be ‘incorrect’.
    - All other letters in the base model answer (enclosed in double quotes) must be lowercase. Otherwise, the evaluation should be ‘incorrect’.
    - If the base model answer consists of multiple words, the evaluation should be ‘incorrect’.
    - If the base model answer includes punctuation, spaces, or additional characters, the evaluation should be ‘incorrect’.
    - If the base model answer (enclosed in double quotes) is not one of the provided genres, the evaluation should be ‘incorrect’.
    - If it is not listed, the evaluation should be ‘incorrect’.
    Output Rules:
    - Provide your genre prediction and evaluation without additional text, punctuation, or explanation.
    - The output must be: the genre prediction and the evaluation. The first letter uppercase and all other letters lowercase.
    Final Answer Format:
    Prediction,Evaluation
    Example:
    Drama,Correct

    """
}
