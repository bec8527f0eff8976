"""Proves training-time tokenization equals the C# adapter's (engine/Tokenization, Microsoft.ML.Tokenizers).

usage: check_tokenizer.py --tokenizer DIR --data DIR --encoder CMD [--per-family N]
CMD is run as `CMD TOKENIZER_DIR TEXTS.jsonl IDS.jsonl`: it reads one JSON string per line and writes one
JSON array of ids per line (a small console over BundleTokenizer.Encode). Exits 1 on any difference.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import examples as ex  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--tokenizer", required=True)
ap.add_argument("--data", required=True)
ap.add_argument("--encoder", required=True)
ap.add_argument("--per-family", type=int, default=300)
args = ap.parse_args()

rng = random.Random(0)
texts = []
for fam in ["code", "qa", "math", "long", "probe"]:
    for split in ["train", "test", "calibration"]:
        path = os.path.join(args.data, fam, f"{split}.jsonl")
        if not os.path.exists(path):
            continue
        items = ex.read_jsonl(path)
        for it in rng.sample(items, min(args.per_family, len(items))):
            texts.append("<|bos|>" + it["request"] + "<|answer|>" + it["answer"] + "<|eos|>")
            texts.append("<|bos|>" + it["request"] + "<|probe|><|" + it["category"] + "|>")
texts += ["  two  spaces\n\n\tand tabs  ", "caf\u00e9 \u4e2d\u6587 \U0001F600", "x<|eos|>y<|bos|>", "", "123456 7.5 -3"]
tok = bpe.Tokenizer(args.tokenizer)
with tempfile.TemporaryDirectory() as tmp:
    src, dst = os.path.join(tmp, "texts.jsonl"), os.path.join(tmp, "ids.jsonl")
    with open(src, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps(t) + "\n")
    subprocess.run(args.encoder.split() + [args.tokenizer, src, dst], check=True)
    with open(dst) as f:
        theirs = [json.loads(line) for line in f]
bad = [(t, tok.encode(t), o) for t, o in zip(texts, theirs) if tok.encode(t) != o]
total = sum(len(o) for o in theirs)
print(f"{len(texts)} texts, {total} tokens: {len(texts) - len(bad)} identical, {len(bad)} different")
for t, mine, o in bad[:3]:
    print("DIFF", repr(t[:80]), mine[:20], o[:20])
sys.exit(1 if bad or len(theirs) != len(texts) else 0)
