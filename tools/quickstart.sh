#!/usr/bin/env bash
# The main job, end to end, on the built-in synthetic faces:
#   synthetic faces -> the two face parsers -> stage 1 -> stage 2 -> test ->
#   PSNR/SSIM table (model vs bicubic vs Telea) and a PNG grid of results.
# Exits non-zero unless FCSR-GAN beats Telea + bicubic on PSNR and SSIM, over
# the whole face and inside the hole.
# Installs what it needs first (tools/setup_env.sh). Re-running skips the
# steps whose outputs exist; QUICKSTART_FRESH=1 redoes everything.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=$(bash tools/setup_env.sh | tail -n 1)
export PYTHONWARNINGS="ignore::FutureWarning,ignore::DeprecationWarning"
OUT=work_dirs/quickstart
DATA=data/synthetic
if [ "${QUICKSTART_FRESH:-0}" = 1 ]; then rm -rf "$OUT" "$DATA"; fi
mkdir -p "$OUT"
start=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - start )) s] $*"; }

step "1/7 synthetic faces -> $DATA"
if [ ! -f "$DATA/aligned/meta/test.txt" ]; then
  "$PY" tools/dataset_converters/synthetic_faces.py --out "$DATA" --num 2000 --overwrite
fi
step "2/7 Helen converter on the synthetic Helen layout -> $DATA/parser"
if [ ! -d "$DATA/parser/labels/test" ]; then
  "$PY" tools/dataset_converters/helen.py "$DATA/helen" --out "$DATA/parser" --overwrite
fi

# the command's whole output goes to a log file, its progress lines to the screen
run_logged() {  # log_file command...
  local log=$1 pid status
  shift
  "$@" > "$log" 2>&1 &
  pid=$!
  tail -n +1 -f --pid="$pid" "$log" 2>/dev/null \
    | grep --line-buffered -E 'Iter\((train|val|test)\)' \
    | cut -c 36-200 || true
  wait "$pid" && status=0 || status=$?
  if [ "$status" != 0 ]; then tail -n 30 "$log"; echo "failed, log: $log"; exit 1; fi
}
train() {  # config work_dir final_checkpoint
  if [ ! -f "$2/$3" ]; then
    run_logged "$2.log" "$PY" tools/train.py "$1" --work-dir "$2"
  fi
  echo "   $2/$3"
}
step "3/7 face parsers (128 px and 32 px)"
train configs/parser/segnet_s4c8_1xb8-200_synthetic-128x128.py "$OUT/parser128" iter_200.pth
train configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py "$OUT/parser32" iter_300.pth
step "4/7 stage 1: completion module (L1 -> + local adv -> all terms)"
train configs/fcsr_stage1_synthetic.py "$OUT/stage1" iter_700.pth
step "5/7 stage 2: SR module, then everything"
train configs/fcsr_stage2_synthetic.py "$OUT/stage2" iter_370.pth

step "6/7 test FCSR-GAN, bicubic and Telea on the synthetic test faces (random 16x16 block, fixed per face)"
TEST_ALL=$(cat <<'PYEOF'
import sys
from fcsr_mm.apis import run_test
out = sys.argv[1]
for name, config, ckpt in [
        ('fcsr', 'configs/fcsr_stage2_synthetic.py', f'{out}/stage2/iter_370.pth'),
        ('bicubic', 'configs/baselines/bicubic_synthetic.py', None),
        ('telea', 'configs/baselines/telea_synthetic.py', None)]:
    run_test(config, ckpt, {'custom_hooks.0.interval': 5,
                            'visualizer.name': f'quickstart_{name}'},
             work_dir=f'{out}/test_{name}', out=f'{out}/metrics_{name}.json')
PYEOF
)
run_logged "$OUT/test.log" "$PY" -c "$TEST_ALL" "$OUT"

step "7/7 results"
"$PY" tools/analysis/results_table.py "FCSR-GAN (quickstart)=$OUT/metrics_fcsr.json" \
  "bicubic of the occluded input=$OUT/metrics_bicubic.json" \
  "Telea inpainting + bicubic=$OUT/metrics_telea.json" --out "$OUT/results.md"
"$PY" tools/analysis/collect_grid.py "fcsr=$OUT/test_fcsr" "telea=$OUT/test_telea" \
  --columns input=fcsr:0 "Telea+bicubic=telea:2" "completed 32=fcsr:1" \
  "FCSR-GAN=fcsr:2" "ground truth=fcsr:3" --out "$OUT/results_grid.png"
"$PY" - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
m, t = (json.load(open(f'{out}/metrics_{k}.json')) for k in ('fcsr', 'telea'))
keys = ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM')
lost = [k for k in keys if not m[k] > t[k]]
print('FCSR-GAN beats Telea + bicubic on PSNR and SSIM, whole face and hole:',
      'yes' if not lost else f'NO ({", ".join(lost)} not better)')
sys.exit(1 if lost else 0)
PYEOF
echo
echo "Done in $(( $(date +%s) - start )) s. Outputs:"
echo "  synthetic faces + contact sheet: $DATA/contact_sheet.png"
echo "  parsers:      $OUT/parser128, $OUT/parser32"
echo "  model:        $OUT/stage1, $OUT/stage2 (checkpoints, logs, result grids)"
echo "  metrics:      $OUT/results.md"
echo "  result grid:  $OUT/results_grid.png (input, Telea + bicubic, completed 32x32, FCSR-GAN 128x128, ground truth)"
