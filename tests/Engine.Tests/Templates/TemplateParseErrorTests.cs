using AscendAio.Engine.Templates;

namespace AscendAio.Engine.Tests.Templates;

/// <summary>Whatever the renderer cannot run is refused by Parse, naming the construct and its line.</summary>
public sealed class TemplateParseErrorTests
{
    [Theory]
    [InlineData("{% include 'x.jinja' %}", "statement 'include'")]
    [InlineData("a\n{% raw %}{{ x }}{% endraw %}", "statement 'raw'")]
    [InlineData("{% extends 'base' %}", "statement 'extends'")]
    [InlineData("{% call m() %}x{% endcall %}", "statement 'call'")]
    [InlineData("{% filter upper %}x{% endfilter %}", "statement 'filter'")]
    [InlineData("{{ x | wordwrap(10) }}", "filter 'wordwrap'")]
    [InlineData("{% if x is divisibleby 3 %}{% endif %}", "test 'divisibleby'")]
    [InlineData("{% if x is sameas(y) %}{% endif %}", "test 'sameas'")]
    [InlineData("{{ cycler(1, 2) }}", "function 'cycler'")]
    [InlineData("{{ messages.pop() }}", "method 'pop'")]
    [InlineData("{% for m in messages recursive %}{% endfor %}", "loop modifier 'recursive'")]
    [InlineData("{{ range(*args) }}", "argument unpacking")]
    public void Parse_UnsupportedConstruct_ThrowsNamingIt(string source, string construct)
    {
        var e = Assert.Throws<ChatTemplateParseException>(() => ChatTemplate.Parse(source));
        Assert.Equal(construct, e.Construct);
        Assert.Contains(construct, e.Message);
    }

    [Fact]
    public void Parse_UnsupportedConstruct_ReportsItsSourceLine()
    {
        var source = "{%- if true %}\n    {{- 'a' }}\n{%- endif %}\n\n{{ messages | batch(2) }}\n";
        var e = Assert.Throws<ChatTemplateParseException>(() => ChatTemplate.Parse(source));
        Assert.Equal(5, e.Line);
        Assert.StartsWith("line 5: unsupported filter 'batch'", e.Message);
    }

    [Theory]
    [InlineData("{% if x %}never closed", 1)]
    [InlineData("{% for x in y %}\n{% endif %}", 2)]
    [InlineData("{{ 'open string }}", 1)]
    [InlineData("{{ x + }}", 1)]
    [InlineData("a\nb\n{% frobnicate %}", 3)]
    [InlineData("{# comment never closed", 1)]
    public void Parse_SyntaxError_ThrowsWithLine(string source, int line)
    {
        var e = Assert.Throws<ChatTemplateParseException>(() => ChatTemplate.Parse(source));
        Assert.Null(e.Construct);
        Assert.Equal(line, e.Line);
    }
}
