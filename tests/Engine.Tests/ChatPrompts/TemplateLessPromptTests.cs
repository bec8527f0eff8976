using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests.ChatPrompts;

/// <summary>A bundle without a chat template keeps the generation template for chats: the contents joined by blank lines.</summary>
public sealed class TemplateLessPromptTests
{
    [Fact]
    public void EncodePrompt_ChatWithoutTemplate_IsTheGenerationTemplateAroundTheJoinedContents()
    {
        var root = TempDirectory.Create("no-chat");
        try
        {
            var bundle = ModelBundle.Load(TinyBundle.Export(root));
            Assert.Null(bundle.Manifest.Templates.Chat);
            Assert.Null(bundle.ChatTemplate);
            var chat = RequestPrompt.Chat([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Add 2 and 3."), new ChatMessage("assistant", "")]);
            Assert.Equal("Be brief.\n\nAdd 2 and 3.", chat.Text);
            var expected = ModelBundle.Apply(bundle.Manifest.Templates.Generation, "Be brief.\n\nAdd 2 and 3.");
            Assert.Equal(expected, bundle.RenderPrompt(chat));
            Assert.Equal(bundle.Tokenizer.Encode(expected), bundle.EncodePrompt(chat));
            // One user turn (how evaluation asks) is exactly the completion of its text.
            Assert.Equal(bundle.EncodePrompt(RequestPrompt.Completion("Add 2 and 3.")), bundle.EncodePrompt(RequestPrompt.User("Add 2 and 3.")));
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }
}
