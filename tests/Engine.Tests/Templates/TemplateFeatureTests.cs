using System.Text.Json.Nodes;
using AscendAio.Engine.Templates;

namespace AscendAio.Engine.Tests.Templates;

/// <summary>Each supported construct on its own.</summary>
public sealed class TemplateFeatureTests
{
    private static readonly ChatMessage[] Chat = [new("system", "S"), new("user", "Hi"), new("assistant", "Yo"), new("user", "Bye")];

    private static string R(string source, IReadOnlyDictionary<string, object?>? vars = null, IReadOnlyList<ChatMessage>? messages = null) =>
        ChatTemplate.Parse(source).Render(new ChatTemplateInput(messages ?? Chat) { Variables = vars, BosToken = "<s>", EosToken = "</s>" });

    [Theory]
    [InlineData("{% if x == 1 %}a{% elif x == 2 %}b{% else %}c{% endif %}", 2, "b")]
    [InlineData("{% if x == 1 %}a{% elif x == 2 %}b{% else %}c{% endif %}", 3, "c")]
    [InlineData("{% if not x %}none{% endif %}", 0, "none")]
    public void If_ElifElse_PicksBranch(string source, int x, string expected) =>
        Assert.Equal(expected, R(source, new Dictionary<string, object?> { ["x"] = x }));

    [Fact]
    public void For_ExposesLoopVariables() =>
        Assert.Equal("0:1:4:F|1:2:4:-|2:3:4:-|3:4:4:L|",
            R("{% for m in messages %}{{ loop.index0 }}:{{ loop.index }}:{{ loop.length }}:{{ 'F' if loop.first else ('L' if loop.last else '-') }}|{% endfor %}"));

    [Fact]
    public void For_WithFilterElseAndUnpacking() =>
        Assert.Equal("Hi,Bye,|empty|a=1;b=2;",
            R("{% for m in messages if m.role == 'user' %}{{ m.content }},{% endfor %}|{% for x in [] %}x{% else %}empty{% endfor %}|" +
              "{% for k, v in {'a': 1, 'b': 2} | items %}{{ k }}={{ v }};{% endfor %}"));

    [Fact]
    public void For_BreakAndContinue() =>
        Assert.Equal("13", R("{% for i in range(10) %}{% if i == 4 %}{% break %}{% endif %}{% if i % 2 == 0 %}{% continue %}{% endif %}{{ i }}{% endfor %}"));

    [Fact]
    public void Set_NamespaceAttributeSurvivesTheLoop() =>
        Assert.Equal("3|0", R("{% set ns = namespace(n=0) %}{% set plain = 0 %}{% for m in messages if m.role != 'system' %}{% set ns.n = ns.n + 1 %}{% set plain = plain + 1 %}{% endfor %}{{ ns.n }}|{{ plain }}"));

    [Fact]
    public void Set_BlockFormAndTuple() =>
        Assert.Equal("[x-y] 1 2", R("{% set s %}[{{ 'x' }}-{{ 'y' }}]{% endset %}{% set a, b = 1, 2 %}{{ s }} {{ a }} {{ b }}"));

    [Fact]
    public void Macro_WithDefaultsAndKeywords() =>
        Assert.Equal("<u:Hi><a:Yo!>", R("{% macro tag(role, text, end='>') %}<{{ role[0] }}:{{ text }}{{ end }}{% endmacro %}" +
                                         "{{ tag('user', 'Hi') }}{{ tag('assistant', 'Yo', end='!>') }}"));

    [Fact]
    public void WhitespaceControl_AndBlocksTrimmedLikeHuggingFace() =>
        Assert.Equal("a|b\n c", R("  {%- if true -%}  \n a {%- endif %}\n|{# note #}\n    {% if true %}\nb\n{% endif %}\n {{- '' }} c\n"));

    [Theory]
    [InlineData("{{ [1, 2, 3][::-1] }}", "[3, 2, 1]")]
    [InlineData("{{ 'abc'[::-1] ~ 'héllo'[1:3] ~ 'xyz'[-1] }}", "cbaélz")]
    [InlineData("{{ messages[1:3] | map(attribute='role') | join(',') }}", "user,assistant")]
    [InlineData("{{ messages[-1]['content'] ~ messages[0].role }}", "Byesystem")]
    [InlineData("{{ 7 // 2 }} {{ 7 / 2 }} {{ 7 % 3 }} {{ 2 ** 3 }} {{ -3 + 1.5 }} {{ 4 * 2.0 }}", "3 3.5 1 8 -1.5 8.0")]
    [InlineData("{{ 1 < 2 and 'b' > 'a' and not (3 <= 2) }}", "true")]
    [InlineData("{{ 'ell' in 'hello' }} {{ 2 not in [1, 3] }} {{ 'role' in messages[0] }}", "true true true")]
    [InlineData("{{ none or 'x' }}{{ '' and 'y' }}{{ 0 or [] }}", "x[]")]
    [InlineData("{{ 'a' ~ 1 ~ none }}|{{ 'n=' + 3 }}", "a1|n=3")]
    [InlineData("{{ {'a': [1, 'x'], 'b': none} }}", "{\"a\": [1, \"x\"], \"b\": null}")]
    [InlineData("{{ 'x' if false }}|{{ 'x' if false else 'y' }}", "|y")]
    [InlineData("{{ 'a' 'b' }}", "ab")]
    public void Expressions(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ undefined_name is defined }} {{ messages is defined }} {{ none is none }} {{ 1 is not none }}", "false true true true")]
    [InlineData("{{ 'a' is string }} {{ messages[0] is mapping }} {{ messages is iterable }} {{ 3 is number }} {{ 3 is integer }}", "true true true true true")]
    [InlineData("{{ true is boolean }} {{ false is false }} {{ 3 is odd }} {{ 4 is even }} {{ range is callable }}", "true true true true true")]
    public void IsTests(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ '  x \\n' | trim }}|{{ messages | length }}|{{ 'Ab' | upper }}{{ 'Ab' | lower }}", "x|4|ABab")]
    [InlineData("{{ nope | default('d') }}{{ '' | default('e', true) }}{{ 'v' | default('f') }}", "dev")]
    [InlineData("{{ ['a', 'b'] | join('-') }} {{ [3, 4] | first }} {{ [3, 4] | last }} {{ 5 | string ~ '!' }}", "a-b 3 4 5!")]
    [InlineData("{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }}", "Hi,Bye")]
    [InlineData("{{ messages | rejectattr('role', 'equalto', 'user') | list | length }}", "2")]
    [InlineData("{{ ['b', 'A', 'c'] | sort | join }} {{ [1, 1, 2] | unique | list }} {{ 'ab\\ncd' | indent(2) }}", "Abc [1, 2] ab\n  cd")]
    [InlineData("{{ 'a-b' | replace('-', '+') }} {{ 'hello world' | title }} {{ '3' | int + 1 }}", "a+b Hello World 4")]
    public void Filters(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ {'b': 1, 'a': [true, none, 1.5, 'é\"\\n']} | tojson }}", "{\"b\": 1, \"a\": [true, null, 1.5, \"é\\\"\\n\"]}")]
    [InlineData("{{ {'b': 1, 'a': []} | tojson(indent=2) }}", "{\n  \"b\": 1,\n  \"a\": []\n}")]
    [InlineData("{{ {'b': 1, 'a': 'é'} | tojson(sort_keys=true, ensure_ascii=true) }}", "{\"a\": \"\\u00e9\", \"b\": 1}")]
    [InlineData("{{ [1, {'k': 'v'}] | tojson(separators=(',', ':')) }}", "[1,{\"k\":\"v\"}]")]
    [InlineData("{{ '<tag> & \\'q\\'' | tojson }}", "\"<tag> & 'q'\"")]
    public void ToJson_FollowsJsonDumpsSpacingWithoutHtmlEscaping(string source, string expected) => Assert.Equal(expected, R(source));

    [Theory]
    [InlineData("{{ 'Hello'.startswith('He') }} {{ 'Hello'.endswith(('x', 'lo')) }}", "true true")]
    [InlineData("{{ '  a  '.strip() }}|{{ '  a  '.lstrip() }}|{{ '  a  '.rstrip() }}|", "a|a  |  a|")]
    [InlineData("{{ 'a,b,,c'.split(',') | length }} {{ ' a  b '.split() | join('|') }} {{ 'a b c'.split(' ', 1)[1] }}", "4 a|b b c")]
    [InlineData("{{ 'aaa'.replace('a', 'b', 2) }} {{ 'Ab'.upper() }}{{ 'Ab'.lower() }} {{ messages[0].get('nope', 'dflt') }}", "bba ABab dflt")]
    [InlineData("{{ messages[0].keys() | join(',') }} {{ messages[0].items() | length }}", "role,content 2")]
    public void StringAndDictMethods(string source, string expected) => Assert.Equal(expected, R(source));

    [Fact]
    public void Strip_WithCharacters_FollowsPython()
    {
        // @huggingface/jinja 0.5.11 ignores the argument and strips all whitespace; Jinja2 (transformers) strips only '\n'.
        Assert.Equal("[ a ]", R("[{{ '\\n a \\n'.strip('\\n') }}]"));
    }

    [Fact]
    public void RaiseException_ThrowsTypedExceptionWithTemplateMessage()
    {
        var e = Assert.Throws<ChatTemplateRaisedException>(() => R("\n{% if messages[0].role != 'user' %}{{ raise_exception('Roles must alternate') }}{% endif %}"));
        Assert.Equal("Roles must alternate", e.TemplateMessage);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void DataDependentFailure_IsARenderException()
    {
        var t = ChatTemplate.Parse("{{ messages[0].content + '!' }}");
        var e = Assert.ThrowsAny<ChatTemplateRenderException>(() => t.Render(new ChatTemplateInput([new ChatMessage("assistant", null)])));
        Assert.IsNotType<ChatTemplateRaisedException>(e);
    }

    [Fact]
    public void StrftimeNow_ReadsTheInjectedClock()
    {
        var t = ChatTemplate.Parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M %B %%') }}");
        var clock = new FixedClock(new DateTimeOffset(2024, 7, 6, 9, 5, 0, TimeSpan.Zero));
        Assert.Equal("06 Jul 2024|2024-07-06 09:05 July %", t.Render(new ChatTemplateInput(Chat) { Clock = clock }));
    }

    [Fact]
    public void Input_ExtraFieldsToolsAndVariablesReachTheTemplate()
    {
        var toolCall = JsonNode.Parse("""[{"function": {"name": "f", "arguments": {"x": 1}}}]""");
        var messages = new[] { new ChatMessage("assistant", "", new Dictionary<string, object?> { ["tool_calls"] = toolCall }) };
        var t = ChatTemplate.Parse("{{ messages[0].tool_calls[0].function.arguments | tojson }}|{{ tools | length }}|{{ enable_thinking }}|{{ bos_token }}{{ eos_token }}|{{ add_generation_prompt }}");
        var output = t.Render(new ChatTemplateInput(messages)
        {
            Tools = new List<object?> { new Dictionary<string, object?> { ["name"] = "f" } },
            Variables = new Dictionary<string, object?> { ["enable_thinking"] = false },
            BosToken = "<s>",
            EosToken = "</s>",
            AddGenerationPrompt = true,
        });
        Assert.Equal("{\"x\": 1}|1|false|<s></s>|true", output);
    }

    [Fact]
    public void Tools_DefaultToNone() =>
        Assert.Equal("none", R("{% if tools is none %}none{% endif %}"));

    [Fact]
    public void FromTokenizerConfig_ReadsStringListFormAndJinjaFile()
    {
        var dir = Directory.CreateTempSubdirectory("aio-templates-");
        try
        {
            var config = Path.Combine(dir.FullName, "tokenizer_config.json");
            File.WriteAllText(config, """{"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D{{ bos_token }}"}]}""");
            Assert.Equal("D<s>", ChatTemplate.FromTokenizerConfig(config)!.Render(new ChatTemplateInput(Chat) { BosToken = "<s>" }));

            File.WriteAllText(config, """{"chat_template": "S"}""");
            Assert.Equal("S", ChatTemplate.FromTokenizerConfig(dir.FullName)!.Source);

            File.WriteAllText(Path.Combine(dir.FullName, "chat_template.jinja"), "J\n");
            Assert.Equal("J", ChatTemplate.FromTokenizerConfig(dir.FullName)!.Render(new ChatTemplateInput(Chat)));

            File.WriteAllText(config, """{"bos_token": "<s>"}""");
            File.Delete(Path.Combine(dir.FullName, "chat_template.jinja"));
            Assert.Null(ChatTemplate.FromTokenizerConfig(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
