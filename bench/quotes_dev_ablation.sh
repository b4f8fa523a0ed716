#!/usr/bin/env bash
# PolNeAR dev speaker accuracy with every quote rule that came from reading storyline's own
# output on the dev articles taken out again (README, "Quote ledger": after the 14th dev look
# that read turned up junk speakers; the fixes are general, but one changed a dev pair).
#
# Run from a git checkout after `make test`: bash bench/quotes_dev_ablation.sh [POLNEAR_DIR]
# It copies HEAD's sources to a temporary directory, reverse-applies the attribution and entity
# hunks of the three commits holding those fixes, and scores dev and train with that copy beside
# HEAD in the same run. Nothing in the checkout changes.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
data=${1:-"$root/../shared/data/polnear"}
if [ ! -d "$data/dev/text" ] || [ ! -d "$data/train/text" ]; then
    echo "$data: not a PolNeAR directory (needs dev/text and train/text); pass it as the first argument" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive HEAD src | tar -x -C "$tmp"
# e4af186: number words; f2f888e: an owner's aide with an adjective; 8e79110: state
# abbreviations, a lone party adjective, a party word before a lower-case role.
for commit in 8e79110 f2f888e e4af186; do
    git -C "$root" show "$commit" -- src/storyline/synth/attribution.py \
        src/storyline/synth/entities.py | patch -R -p1 -s -d "$tmp"
done
score='
import sys
from storyline.eval_quotes import evaluate_quotes
for split in ("dev", "train"):
    s = evaluate_quotes(f"{sys.argv[2]}/{split}").ours
    print(f"{sys.argv[1]:<34}{split:<6} F1 {s.f1:.3f}  speaker {s.speaker_accuracy:.4f} "
          f"({s.speaker_correct}/{s.speaker_scored})  named {s.named_speaker_accuracy:.4f} "
          f"({s.named_correct}/{s.named_scored})")
'
"$root/.venv/bin/python" -c "$score" "HEAD" "$data"
PYTHONPATH="$tmp/src" "$root/.venv/bin/python" -c "$score" "without the dev-read fixes" "$data"
