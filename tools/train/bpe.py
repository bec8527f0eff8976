"""Byte-level BPE for the reference pair: trainer, file writer and encoder.

Encoding is exactly what engine/Tokenization (Microsoft.ML.Tokenizers BpeTokenizer, ByteLevel=true) does:
special tokens split out first, then the GPT-2 pre-tokenizer regex, UTF-8 bytes -> GPT-2 byte symbols,
merges applied lowest rank first. tools/train/check_tokenizer.py compares it with the C# adapter.
"""
import collections
import json
import os

import regex

SPECIAL_TOKENS = ["<|bos|>", "<|eos|>", "<|pad|>", "<|probe|>", "<|answer|>", "<|code|>", "<|qa|>", "<|math|>"]
GPT2_PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
SPECIAL_SPLIT = regex.compile("(" + "|".join(regex.escape(t) for t in SPECIAL_TOKENS) + ")")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable symbol table (' ' -> 'Ġ', '\\n' -> 'Ċ')."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_SYMBOL = bytes_to_unicode()
SYMBOL_BYTE = {s: b for b, s in BYTE_SYMBOL.items()}


def pieces(text):
    """Pre-tokenized pieces of text without special tokens, each as a tuple of byte symbols."""
    for m in GPT2_PATTERN.finditer(text):
        yield tuple(BYTE_SYMBOL[b] for b in m.group().encode("utf-8"))


def _has_digit(symbol):
    return any(c.isdigit() for c in symbol)


def train(texts, vocab_size):
    """Learns merges over the pre-tokenized texts. Digits never merge, so numbers stay one token per
    digit (arithmetic on digits is learnable; whole-number tokens are not)."""
    words = collections.Counter()
    for t in texts:
        for part in SPECIAL_SPLIT.split(t):
            if part and part not in SPECIAL_TOKENS:
                words.update(pieces(part))
    vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS)}
    for b in range(256):
        vocab[BYTE_SYMBOL[b]] = len(vocab)
    seqs = [list(w) for w in words]
    counts = [words[w] for w in words]
    pair_counts = collections.Counter()
    where = collections.defaultdict(set)
    for i, s in enumerate(seqs):
        for a, b in zip(s, s[1:]):
            pair_counts[(a, b)] += counts[i]
            where[(a, b)].add(i)
    merges = []
    while len(vocab) < vocab_size:
        best = None
        for pair, c in pair_counts.most_common():
            if c < 2:
                break
            if not (_has_digit(pair[0]) or _has_digit(pair[1])):
                best = pair
                break
        if best is None:
            break
        merges.append(best)
        merged = best[0] + best[1]
        vocab[merged] = len(vocab)
        for i in list(where[best]):
            s = seqs[i]
            for a, b in zip(s, s[1:]):
                pair_counts[(a, b)] -= counts[i]
            j, out = 0, []
            while j < len(s):
                if j + 1 < len(s) and s[j] == best[0] and s[j + 1] == best[1]:
                    out.append(merged)
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            seqs[i] = out
            for a, b in zip(out, out[1:]):
                pair_counts[(a, b)] += counts[i]
                where[(a, b)].add(i)
        del pair_counts[best]
    return vocab, merges


def save(directory, vocab, merges):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    config = {
        "tokenizer_class": "GPT2Tokenizer",
        "add_prefix_space": False,
        "bos_token": "<|bos|>",
        "eos_token": "<|eos|>",
        "pad_token": "<|pad|>",
        "additional_special_tokens": SPECIAL_TOKENS[3:],
        "added_tokens_decoder": {str(vocab[t]): {"content": t, "special": True} for t in SPECIAL_TOKENS},
        "model_max_length": 2048,
    }
    with open(os.path.join(directory, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)


class Tokenizer:
    def __init__(self, directory):
        with open(os.path.join(directory, "vocab.json"), encoding="utf-8") as f:
            self.vocab = json.load(f)
        self.ranks = {}
        with open(os.path.join(directory, "merges.txt"), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#version"):
                    continue
                a, b = line.split(" ")
                self.ranks.setdefault((a, b), len(self.ranks))
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.cache = {}

    def token_id(self, token):
        return self.vocab[token]

    def _encode_piece(self, symbols):
        hit = self.cache.get(symbols)
        if hit is not None:
            return hit
        s = list(symbols)
        while len(s) > 1:
            best, best_rank = None, None
            for i in range(len(s) - 1):
                r = self.ranks.get((s[i], s[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = (s[i], s[i + 1]), r
            if best is None:
                break
            out, j = [], 0
            while j < len(s):
                if j + 1 < len(s) and s[j] == best[0] and s[j + 1] == best[1]:
                    out.append(s[j] + s[j + 1])
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            s = out
        ids = [self.vocab[t] for t in s]
        self.cache[symbols] = ids
        return ids

    def encode(self, text):
        ids = []
        for part in SPECIAL_SPLIT.split(text):
            if not part:
                continue
            if part in SPECIAL_TOKENS:
                ids.append(self.vocab[part])
                continue
            for p in pieces(part):
                ids.extend(self._encode_piece(p))
        return ids

    def decode(self, ids):
        out, buf = [], []
        for i in ids:
            t = self.id_to_token[int(i)]
            if t in SPECIAL_TOKENS:
                out.append(bytes(buf).decode("utf-8", errors="replace"))
                buf = []
                out.append(t)
            else:
                buf.extend(SYMBOL_BYTE[c] for c in t)
        out.append(bytes(buf).decode("utf-8", errors="replace"))
        return "".join(out)
