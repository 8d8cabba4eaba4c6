import Foundation
import JudgeCore
import Testing

/// Prompt templates: Mustache without HTML escaping; plain ones rendered by joining pieces, which
/// must give exactly what the library gives.
@Suite struct PromptTemplateTests {
    @Test func plainTemplatesRenderAsTheLibraryDoes() throws {
        let sources = ["{{a}}", "\nx {{a}}.\n{{b}} \"{{a}}\"\n", "{{{a}}} & {{&b}}", "{{ a }}{{b}}", "lead {{! a comment }}{{a}} tail",
                       "no variables at all", "{{a}}\n\n{{b}}\n"]
        let values = ["a": "<b>R&D</b> \"quoted\" 'x'", "b": "line one\nline two {{not a tag}}"]
        for source in sources {
            let template = try PromptTemplate(source)
            let pieces = try #require(template.pieces, "\(source.debugDescription) is plain")
            let joined = pieces.map { piece -> String in
                switch piece {
                case .text(let text): text
                case .variable(let name): values[name] ?? ""
                }
            }.joined()
            #expect(joined == template.render(values), "\(source.debugDescription)")
        }
        #expect(try PromptTemplate("{{a}} {{b}} {{a}}").variables == ["a", "b"])
        #expect(try PromptTemplate("<{{a}}>").render(["a": "<&>"]) == "<<&>>", "no HTML escaping")
    }

    @Test func sectionsGoThroughTheLibrary() throws {
        let template = try PromptTemplate("{{#note}}Note: {{note}}\n{{/note}}{{body}}")
        #expect(template.pieces == nil)
        #expect(template.variables.contains("note") && template.variables.contains("body"))
        #expect(template.render(["note": "urgent", "body": "text"]) == "Note: urgent\ntext")
        #expect(template.render(["body": "text"]) == "text", "a section over a name with no value renders nothing")
    }

    @Test func aBrokenTemplateSaysWhere() {
        let error = #expect(throws: PromptTemplate.Problem.self) { try PromptTemplate("ok\n{{#open}} never closed") }
        #expect(error?.line == 2, "\(String(describing: error))")
    }
}
