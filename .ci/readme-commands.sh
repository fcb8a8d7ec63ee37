#!/usr/bin/env bash
# Runs every command of README.md's ```bash blocks as written, in order, in a scratch directory that
# sees the repository's target/, examples/ and bin/ (so `--out runs/...` never touches the checkout).
# Skipped: Maven commands (this script runs after the build) and spark-submit (no Spark cluster here;
# the Spark launcher is tested by the test suite). Exits non-zero on the first command that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=$(mktemp -d)
ln -s "$root/target" "$scratch/target"
ln -s "$root/examples" "$scratch/examples"
ln -s "$root/bin" "$scratch/bin"
python3 - "$root/README.md" > "$scratch/commands.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read().split("\n")
inside = False
cmd = ""
for line in text:
    if line.strip().startswith("```"):
        inside = (line.strip() == "```bash") and not inside
        cmd = ""
        continue
    if not inside:
        continue
    s = line.rstrip()
    if cmd:
        cmd += " " + s.strip()
    else:
        cmd = s.strip()
    if cmd.endswith("\\"):
        cmd = cmd[:-1].rstrip()
        continue
    if cmd and not cmd.startswith("#"):
        # "mvn ... && java ...": the build already ran; keep the rest.
        parts = [p.strip() for p in cmd.split("&&")]
        parts = [p for p in parts if not p.startswith("mvn ")]
        if parts and not parts[0].startswith("spark-submit"):
            print(" && ".join(parts))
    cmd = ""
PY
n=0
while IFS= read -r c; do
  n=$((n + 1))
  echo "README command $n: $c"
  (cd "$scratch" && bash -c "$c" > "$scratch/out-$n.txt" 2>&1) || { echo "README command $n failed:" >&2; tail -20 "$scratch/out-$n.txt" >&2; exit 1; }
done < "$scratch/commands.txt"
echo "$n README commands ran as written"
