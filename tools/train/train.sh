#!/usr/bin/env bash
# Reproduces the reference pair in one command: generate the task suites with `aio`, train the shared
# tokenizer, train ref-small and ref-large on the same mixture for the same epochs, write models/.
# Needs Debian's python3-torch, python3-numpy, python3-regex and libopenblas0-pthread (without
# OpenBLAS, torch's generic BLAS is ~6x slower). Seeded: SEED=1234 by default.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${WORK:-$ROOT/artifacts/train}"
SEED="${SEED:-1234}"
EPOCHS="${EPOCHS:-7}"
BUDGET_MIN="${BUDGET_MIN:-105}"  # wall-clock cap per model; the schedule anneals by time when steps would not fit
PY=/usr/bin/python3
LOG="${LOG:-$WORK/train.log}"

$PY -c "import torch, numpy, regex" || { echo "install: apt-get update && apt-get install -y python3-torch python3-numpy python3-regex libopenblas0-pthread" >&2; exit 1; }
mkdir -p "$WORK"
dotnet build "$ROOT/tools/Aio.Cli/Aio.Cli.csproj" -c Release -o "$WORK/aio" >/dev/null
"$WORK/aio/aio" data generate --out "$WORK/data" --seed "$SEED"
$PY "$ROOT/tools/train/train_tokenizer.py" --data "$WORK/data" --out "$WORK/tokenizer" --vocab-size 1024
# Both models in parallel, one core each: at these matrix sizes one thread per model beats two threads
# for one model (measured 6.6K vs 3.2K tok/s for ref-large on 128-token rows), and OpenBLAS must not
# start threads of its own on top.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
$PY "$ROOT/tools/train/train.py" --model ref-small --data "$WORK/data" --tokenizer "$WORK/tokenizer" \
    --out "$ROOT/models/ref-small" --epochs "$EPOCHS" --budget-min "$BUDGET_MIN" --seed "$SEED" --threads 1 --log "$LOG" &
small=$!
$PY "$ROOT/tools/train/train.py" --model ref-large --data "$WORK/data" --tokenizer "$WORK/tokenizer" \
    --out "$ROOT/models/ref-large" --epochs "$EPOCHS" --budget-min "$BUDGET_MIN" --seed "$SEED" --threads 1 --log "$LOG"
wait "$small"
echo "done: models/ref-small models/ref-large (log: $LOG)"
