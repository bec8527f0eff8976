"""Quick evaluation with the PyTorch reference implementation (before the engine exists).

Greedy-decodes a suite's test split, writes completions JSONL ({id, completion}) for `aio data score`,
and reports decode tokens/s. The probe suite takes the argmax over the three category tokens and prints
a confusion matrix.
usage: evaluate.py --model DIR --suite code|qa|math|long|probe --data DIR --out FILE [--limit N]
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import model as llama  # noqa: E402
import safetensors_io  # noqa: E402

MAX_NEW = {"code": 96, "qa": 32, "math": 96, "long": 96}
CATEGORIES = ["code", "qa", "math"]


def load(directory):
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    net = llama.LlamaForCausalLM(config)
    state = safetensors_io.load(os.path.join(directory, "model.safetensors"))
    net.load_state_dict(state, strict=True)
    net.eval()
    return net, bpe.Tokenizer(directory)


def fit_prompt(ids, room):
    """Keeps <|bos|> and the last tokens when the prompt does not fit the trained context."""
    return ids if len(ids) <= room else ids[:1] + ids[-(room - 1):]


@torch.no_grad()
def greedy(net, ids, max_new, eos):
    caches = [dict() for _ in net.model.layers]
    T = len(ids)
    mask = torch.full((T, T), float("-inf")).triu(1)
    logits = net(torch.tensor([ids]), torch.arange(T)[None], mask, caches)
    out = []
    t0 = time.perf_counter()
    nxt = int(logits[0, -1].argmax())
    while nxt != eos and len(out) < max_new:
        out.append(nxt)
        logits = net(torch.tensor([[nxt]]), torch.tensor([[T + len(out) - 1]]), None, caches)
        nxt = int(logits[0, -1].argmax())
    return out, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--suite", required=True, choices=list(MAX_NEW) + ["probe"])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    net, tok = load(args.model)
    context = net.config["max_position_embeddings"]
    with open(os.path.join(args.data, args.suite, "test.jsonl")) as f:
        items = [json.loads(l) for l in f if l.strip()]
    if args.limit:
        items = items[:args.limit]

    if args.suite == "probe":
        cat_ids = [tok.token_id(f"<|{c}|>") for c in CATEGORIES]
        confusion = {g: {p: 0 for p in CATEGORIES} for g in CATEGORIES}
        with open(args.out, "w") as f, torch.no_grad():
            for it in items:
                ids = fit_prompt(tok.encode("<|bos|>" + it["request"] + "<|probe|>"), context)
                T = len(ids)
                logits = net(torch.tensor([ids]), torch.arange(T)[None], torch.full((T, T), float("-inf")).triu(1))
                pred = CATEGORIES[int(logits[0, -1, cat_ids].argmax())]
                confusion[it["category"]][pred] += 1
                f.write(json.dumps({"id": it["id"], "completion": f"<|{pred}|>"}) + "\n")
        correct = sum(confusion[c][c] for c in CATEGORIES)
        print(json.dumps({"model": args.model, "suite": "probe", "accuracy": correct / len(items),
                          "confusion (gold -> predicted)": confusion}))
        return

    eos = tok.token_id("<|eos|>")
    generated, seconds = 0, 0.0
    with open(args.out, "w") as f:
        for it in items:
            max_new = MAX_NEW[args.suite]
            ids = fit_prompt(tok.encode("<|bos|>" + it["request"] + "<|answer|>"), context - max_new)
            out, dt = greedy(net, ids, max_new, eos)
            generated += len(out)
            seconds += dt
            f.write(json.dumps({"id": it["id"], "completion": tok.decode(out)}) + "\n")
    print(json.dumps({"model": args.model, "suite": args.suite, "items": len(items),
                      "decode_tokens": generated, "decode_tokens_per_s": round(generated / max(seconds, 1e-9), 1)}))


if __name__ == "__main__":
    main()
