// Writes expected/chat-prompts/<name>.json: for every conversation in chat-cases.json, the prompt a chat request
// becomes with the model's own chat_template, as transformers' apply_chat_template(messages,
// add_generation_prompt=True, tokenize=True) makes it: the template rendered by the reference renderer
// (@huggingface/jinja) with the tokenizer's bos_token / eos_token, then encoded by the reference tokenizer
// (@lenml/tokenizers, transformers.js's tokenizers) with add_special_tokens: false. (@lenml/tokenizers' own
// apply_chat_template bundles an older renderer that cannot parse Qwen3's template.) Run by `npm run render`.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "@huggingface/jinja";
import { TokenizerLoader } from "@lenml/tokenizers";

const here = dirname(fileURLToPath(import.meta.url));
const cases = JSON.parse(readFileSync(join(here, "chat-cases.json"), "utf8"));
const versionOf = (pkg) => JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8")).version;
const tokenText = (t) => (t === null || t === undefined ? "" : typeof t === "string" ? t : t.content);

const out = join(here, "expected", "chat-prompts");
mkdirSync(out, { recursive: true });
for (const name of ["llama3_1", "qwen3", "qwen2_5"]) {
  const pkg = `@lenml/tokenizer-${name}`;
  const models = join(here, "node_modules", pkg, "models");
  const config = JSON.parse(readFileSync(join(models, "tokenizer_config.json"), "utf8"));
  const tokenizer = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(readFileSync(join(models, "tokenizer.json"), "utf8")),
    tokenizerConfig: config,
  });
  const template = new Template(config.chat_template);
  const results = cases.map((c) => {
    const rendered = template.render({
      messages: c.messages,
      add_generation_prompt: true,
      bos_token: tokenText(config.bos_token),
      eos_token: tokenText(config.eos_token),
    });
    return { name: c.name, messages: c.messages, rendered, ids: tokenizer.encode(rendered, { add_special_tokens: false }) };
  });
  const file = {
    package: `${pkg}@${versionOf(pkg)}`,
    renderer: `@huggingface/jinja@${versionOf("@huggingface/jinja")}`,
    tokenizer: `@lenml/tokenizers@${versionOf("@lenml/tokenizers")}`,
    cases: results,
  };
  writeFileSync(join(out, `${name}.json`), JSON.stringify(file, null, 1) + "\n");
  console.log(`${name}: ${results.length} conversations`);
}
