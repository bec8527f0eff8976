"""Trains one reference model on the shared data mixture and writes a Hugging Face style checkpoint.

usage: train.py --model ref-small|ref-large --data DIR --tokenizer DIR --out DIR [--epochs N] [--seed N]
Both models get the same examples, the same epochs and the same order; only capacity and trained
context differ. Progress goes to stdout and --log (one line about every minute).
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import examples as ex  # noqa: E402
import model as llama  # noqa: E402
import safetensors_io  # noqa: E402

TOKENS_PER_BATCH = 2048
# Peak AdamW learning rate per model: the wider, deeper backbone takes a smaller step (at 3e-3 its loss stalled
# around 1.2 for three epochs while the small model's kept falling).
LEARNING_RATES = {"ref-small": 3e-3, "ref-large": 1.5e-3}


def log(path, text):
    line = f"[{time.strftime('%H:%M:%S')}] {text}"
    print(line, flush=True)
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


def make_batches(examples):
    """Length-bucketed batches of about TOKENS_PER_BATCH tokens, padded at the end (causal attention
    never looks at the padding, the loss mask skips it). Each copy index (examples.FAMILY_PASSES) is bucketed on
    its own, so an item's copies never share a batch. Returns (ids, mask) tensor pairs."""
    out = []
    for copy in sorted({e[3] for e in examples}):
        order = sorted((i for i in range(len(examples)) if examples[i][3] == copy), key=lambda i: len(examples[i][0]))
        chunk = []
        for i in order:
            chunk.append(i)
            if len(chunk) * len(examples[i][0]) >= TOKENS_PER_BATCH:
                out.append(chunk)
                chunk = []
        if chunk:
            out.append(chunk)
    result = []
    for chunk in out:
        T = max(len(examples[i][0]) for i in chunk)
        ids = np.full((len(chunk), T), 2, dtype=np.int64)
        mask = np.zeros((len(chunk), T), dtype=np.bool_)
        for r, i in enumerate(chunk):
            n = len(examples[i][0])
            ids[r, :n] = examples[i][0]
            mask[r, :n] = examples[i][1]
        result.append((torch.from_numpy(ids), torch.from_numpy(mask)))
    return result


def causal_mask(T):
    return torch.full((T, T), float("-inf")).triu(1)


def step_loss(net, ids, mask, tokens_per_batch):
    """Cross-entropy over the batch's loss tokens, summed and divided by the constant tokens_per_batch instead of
    by this batch's count, so every loss token weighs the same: a batch of one long item (a 2K-token
    context with a 10-token answer) then moves the weights by its 10 tokens' worth, not by a whole batch's.
    Returns (the loss to minimise, the mean loss per token for the log)."""
    T = ids.shape[1] - 1
    pos = torch.arange(T)[None].expand(ids.shape[0], T)
    logits = net(ids[:, :-1], pos, causal_mask(T))
    m = mask[:, 1:]
    total = F.cross_entropy(logits[m], ids[:, 1:][m], reduction="sum")
    return total / tokens_per_batch, total.item() / int(m.sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=sorted(llama.CONFIGS))
    ap.add_argument("--data", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--lr", type=float, default=None, help="peak learning rate (default: per model, LEARNING_RATES)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--log", default="")
    ap.add_argument("--budget-min", type=float, default=0.0,
                    help="wall-clock budget; the schedule anneals by whichever of steps or time runs out first")
    args = ap.parse_args()

    if args.lr is None:
        args.lr = LEARNING_RATES[args.model]
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    tok = bpe.Tokenizer(args.tokenizer)
    bos, eos, pad = (tok.token_id(t) for t in ("<|bos|>", "<|eos|>", "<|pad|>"))
    config = llama.full_config(args.model, len(tok.vocab), bos, eos, pad)
    context = config["max_position_embeddings"]

    items = ex.build(args.data, tok, args.seed)
    fitted = [ex.fit_context(i, m, context, bos) + (f, c) for i, m, f, c in items]
    all_batches = make_batches(fitted)
    n_tokens = sum(len(e[0]) for e in fitted)
    n_loss = sum(int(e[1].sum()) for e in fitted)
    loss_tokens_per_batch = n_loss / len(all_batches)
    log(args.log, f"{args.model}: {len(fitted)} examples, {n_tokens} tokens ({n_loss} with loss) per epoch, "
                  f"{len(all_batches)} batches, context {context}")

    net = llama.LlamaForCausalLM(config)
    log(args.log, f"{args.model}: {net.num_parameters()} parameters, config {json.dumps(llama.CONFIGS[args.model])}")
    decay = [p for n, p in net.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in net.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95))
    total = len(all_batches) * args.epochs
    warmup = min(100, total // 10)

    def progress_at(step):
        p = step / total
        if args.budget_min > 0:
            p = max(p, (time.time() - started) / (args.budget_min * 60))
        return min(1.0, p)

    def lr_at(step):
        if step < warmup:
            return args.lr * (step + 1) / warmup
        progress = progress_at(step)
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    rng = random.Random(args.seed)
    step, started, last_log, seen = 0, time.time(), time.time(), 0
    stopped_early = False
    for epoch in range(args.epochs):
        if stopped_early:
            break
        plan = list(range(len(all_batches)))
        rng.shuffle(plan)
        running = []
        for b in plan:
            if step >= warmup and progress_at(step) >= 1.0 and step < total:
                stopped_early = True
                log(args.log, f"{args.model}: time budget of {args.budget_min} min reached at epoch {epoch + 1} step {step}/{total}")
                break
            ids, mask = all_batches[b]
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            loss, per_token = step_loss(net, ids, mask, loss_tokens_per_batch)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            running.append(per_token)
            seen += ids.numel()
            step += 1
            if time.time() - last_log >= 60 or step == total:
                el = time.time() - started
                eta = el / step * (total - step)
                log(args.log, f"{args.model}: epoch {epoch + 1}/{args.epochs} step {step}/{total} "
                              f"loss {np.mean(running[-50:]):.3f} lr {lr_at(step):.2e} {seen / el:.0f} tok/s "
                              f"elapsed {el / 60:.1f} min eta {eta / 60:.1f} min")
                last_log = time.time()

    elapsed = time.time() - started
    os.makedirs(args.out, exist_ok=True)
    safetensors_io.save(net.state_for_export(), os.path.join(args.out, "model.safetensors"),
                        metadata={"format": "pt"})
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json"):
        shutil.copy(os.path.join(args.tokenizer, name), os.path.join(args.out, name))
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump({"model": args.model, "parameters": net.num_parameters(), "epochs": args.epochs,
                   "steps": step, "planned_steps": total, "stopped_by_time_budget": stopped_early,
                   "tokens_seen": seen, "tokens_per_epoch": n_tokens, "seed": args.seed, "lr": args.lr,
                   "train_seconds": round(elapsed, 1), "final_loss": float(np.mean(running[-50:])),
                   "torch": torch.__version__}, f, indent=2)
    log(args.log, f"{args.model}: done in {elapsed / 60:.1f} min, wrote {args.out}")


if __name__ == "__main__":
    main()
