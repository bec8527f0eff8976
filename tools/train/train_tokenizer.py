"""Trains the shared byte-level BPE tokenizer on the training splits; writes vocab.json, merges.txt,
tokenizer_config.json. usage: train_tokenizer.py --data DIR --out DIR [--vocab-size 1024]"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--vocab-size", type=int, default=1024)
args = ap.parse_args()
texts = []
for fam in ["code", "qa", "math", "long"]:
    with open(os.path.join(args.data, fam, "train.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            texts += [r["request"], r["answer"]]
vocab, merges = bpe.train(texts, args.vocab_size)
bpe.save(args.out, vocab, merges)
print(f"tokenizer: {len(vocab)} tokens ({len(merges)} merges) -> {args.out}")
