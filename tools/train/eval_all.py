"""The quality table, measured with the PyTorch reference implementation (evaluate.py) and scored by
`aio data score`. usage: eval_all.py --data DIR --aio PATH_TO_AIO [--models DIR] [--out DIR] [--limit N]"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUITES = ["code", "qa", "math", "long", "probe"]

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True)
ap.add_argument("--aio", required=True)
ap.add_argument("--models", default=os.path.join(HERE, "..", "..", "models"))
ap.add_argument("--out", default="/tmp/aio-eval")
ap.add_argument("--limit", type=int, default=0)
ap.add_argument("--only", default="")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)

results = {}
for m in ["ref-small", "ref-large"]:
    for s in SUITES:
        if args.only and s not in args.only.split(","):
            continue
        comp = os.path.join(args.out, f"{m}.{s}.jsonl")
        cmd = [sys.executable, os.path.join(HERE, "evaluate.py"), "--model", os.path.join(args.models, m),
               "--suite", s, "--data", args.data, "--out", comp]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        run = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        score = json.loads(subprocess.run([args.aio, "data", "score", "--suite", os.path.join(args.data, s, "test.jsonl"),
                                           "--completions", comp, "--json"], check=True, capture_output=True, text=True).stdout)
        results[(m, s)] = dict(run, accuracy=score["accuracy"], scored=score["scored"], per_category=score["per_category"])
        print(m, s, json.dumps(results[(m, s)]), flush=True)

with open(os.path.join(args.out, "results.json"), "w") as f:
    json.dump({f"{m}/{s}": r for (m, s), r in results.items()}, f, indent=2)
print("\n| suite | ref-small | ref-large | small decode tok/s | large decode tok/s |")
print("|---|---|---|---|---|")
for s in SUITES:
    a, b = results.get(("ref-small", s)), results.get(("ref-large", s))
    if not a or not b:
        continue
    print(f"| {s} | {a['accuracy']:.1%} | {b['accuracy']:.1%} | {a.get('decode_tokens_per_s', '-')} | {b.get('decode_tokens_per_s', '-')} |")
