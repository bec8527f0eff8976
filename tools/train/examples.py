"""Training examples from the generated suites: (token ids, loss mask) pairs, the same list for both models.

generation: <|bos|>{request}<|answer|>{answer}<|eos|>   loss on answer + <|eos|>
probe:      <|bos|>{request}<|probe|><|category|>       loss on the category token
"""
import json
import os
import random

import numpy as np

PROBE_PER_CATEGORY = 1000
# Items that exist only to teach (qa fact cards, math drills): the probe learns from real requests alone.
TRAINING_ONLY_ITEMS = ("-card-", "-drill-")
# How many copies of each family's training items an epoch holds (the same for both models). Each copy carries its
# index, and train.make_batches batches every copy on its own, so the copies of one item land in different batches
# at different points of the epoch: spaced repetitions, not one batch with the item's loss counted several times
# (which is what the fourth pair's run did, 97% of copies sharing a batch). qa x2 over 400 people's facts: at 200
# people x4 both models recalled nearly every fact, and a qa-only pilot at 400 x2 (the same qa tokens) left ref-small
# at 40 of 54 held-out short answers against ref-large's 54 (tools/train/README.md, twelfth pair). code x2 is for the
# small model's spec-to-code copying. Both families' items are short.
FAMILY_PASSES = {"code": 2, "qa": 2, "math": 1, "long": 1}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def encode_generation(tok, request, answer):
    prompt = tok.encode("<|bos|>" + request + "<|answer|>")
    target = tok.encode(answer) + [tok.token_id("<|eos|>")]
    return prompt, target


def build(data_dir, tok, seed):
    rng = random.Random(seed)
    examples = []  # (ids: np.int32 array, mask: np.bool_ array, family, copy index)
    train = {fam: read_jsonl(os.path.join(data_dir, fam, "train.jsonl")) for fam in ["code", "qa", "math", "long"]}
    for fam, items in train.items():
        for it in items:
            prompt, target = encode_generation(tok, it["request"], it["answer"])
            ids = np.array(prompt + target, dtype=np.int32)
            mask = np.zeros(len(ids), dtype=np.bool_)
            mask[len(prompt):] = True
            examples.extend((ids, mask, fam, copy) for copy in range(FAMILY_PASSES[fam]))
    for cat in ["code", "qa", "math"]:
        pool = [it for it in train[cat] if not any(tag in it["id"] for tag in TRAINING_ONLY_ITEMS)]
        for it in rng.sample(pool, min(PROBE_PER_CATEGORY, len(pool))):
            ids = np.array(tok.encode("<|bos|>" + it["request"] + "<|probe|>") + [tok.token_id(f"<|{cat}|>")], dtype=np.int32)
            mask = np.zeros(len(ids), dtype=np.bool_)
            mask[-1] = True
            examples.append((ids, mask, "probe", 0))
    return examples


def fit_context(ids, mask, context, bos_id):
    """An example longer than the model's trained context keeps <|bos|> and its last tokens (the question
    and the answer are at the end; a needle earlier in the text is lost, as it would be at inference)."""
    if len(ids) <= context:
        return ids, mask
    return np.concatenate([ids[:1], ids[-(context - 1):]]), np.concatenate([mask[:1], mask[-(context - 1):]])


def pack(examples, row_len):
    """Greedy first-fit packing of examples into rows of row_len tokens.
    Returns rows of (ids, mask, doc, pos): doc ids keep attention inside each example, pos restarts at 0."""
    order = sorted(range(len(examples)), key=lambda i: -len(examples[i][0]))
    open_rows, rows = [], []  # each row: [example indices, used length]
    for i in order:
        n = len(examples[i][0])
        for r in open_rows:
            if r[1] + n <= row_len:
                r[0].append(i)
                r[1] += n
                break
        else:
            open_rows.append([[i], n])
            if len(open_rows) > 16:  # bounded first-fit: the oldest open row is closed
                rows.append(open_rows.pop(0))
    rows.extend(open_rows)
    out = []
    for members, used in rows:
        ids = np.full(row_len, 2, dtype=np.int64)
        mask = np.zeros(row_len, dtype=np.bool_)
        doc = np.full(row_len, -1, dtype=np.int64)
        pos = np.zeros(row_len, dtype=np.int64)
        at = 0
        for d, i in enumerate(members):
            e_ids, e_mask = examples[i][0], examples[i][1]
            n = len(e_ids)
            ids[at:at + n] = e_ids
            mask[at:at + n] = e_mask
            doc[at:at + n] = d
            pos[at:at + n] = np.arange(n)
            at += n
        out.append((ids, mask, doc, pos))
    return out
