// Writes expected/<name>.json: for every corpus string, the token ids the reference implementation
// (@lenml/tokenizers, a fork of transformers.js's tokenizers) produces from each real tokenizer.json, and the
// reference's decoding of those ids. Run with `npm ci && npm run fixtures` in this folder.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { TokenizerLoader } from "@lenml/tokenizers";

const here = new URL(".", import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(here + "corpus.json", "utf8"));
const versionOf = (pkg) => JSON.parse(readFileSync(here + `node_modules/${pkg}/package.json`, "utf8")).version;
const reference = "@lenml/tokenizers@" + versionOf("@lenml/tokenizers");

const tokenizers = ["llama3_1", "qwen3", "qwen2_5", "llama2"];
mkdirSync(here + "expected", { recursive: true });
for (const name of tokenizers) {
  const pkg = `@lenml/tokenizer-${name}`;
  const models = here + `node_modules/${pkg}/models/`;
  const tokenizer = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(readFileSync(models + "tokenizer.json", "utf8")),
    tokenizerConfig: JSON.parse(readFileSync(models + "tokenizer_config.json", "utf8")),
  });
  // No BOS/EOS from the post-processor (the engine's templates carry their own) and no clean-up of spaces
  // (the engine decodes exactly what the tokenizer.json decoder writes).
  const cases = corpus.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const decoded = ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    return { text, ids, decoded };
  });
  const version = versionOf(pkg);
  const out = { package: `${pkg}@${version}`, reference, cases };
  writeFileSync(here + `expected/${name}.json`, JSON.stringify(out, null, 0).replace(/\},\{/g, "},\n{") + "\n");
  console.log(`${name}: ${cases.length} strings`);
}
