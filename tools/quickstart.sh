#!/usr/bin/env bash
# The main job, end to end, on the built-in synthetic faces:
#   synthetic faces -> the two face parsers -> stage 1 -> stage 2 -> test ->
#   PSNR/SSIM table (model vs bicubic vs Telea) and a PNG grid of results.
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

train() {  # config work_dir final_checkpoint [extra args]
  if [ ! -f "$2/$3" ]; then
    "$PY" tools/train.py "$1" --work-dir "$2" "${@:4}" > "$2.log" 2>&1 \
      || { tail -n 30 "$2.log"; echo "training failed, log: $2.log"; exit 1; }
  fi
  echo "   $2/$3"
}
step "3/7 face parsers (128 px and 32 px)"
train configs/parser/segnet_s4c8_1xb8-200_synthetic-128x128.py "$OUT/parser128" iter_200.pth
train configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py "$OUT/parser32" iter_300.pth
step "4/7 stage 1: completion module (L1 -> + local adv -> all terms)"
train configs/fcsr_stage1_synthetic.py "$OUT/stage1" iter_500.pth
step "5/7 stage 2: SR module, then everything"
train configs/fcsr_stage2_synthetic.py "$OUT/stage2" iter_400.pth

step "6/7 test on the synthetic test faces (random 16x16 block, fixed per face)"
run_test() {  # name config [checkpoint]
  "$PY" tools/test.py "$2" ${3:-} --work-dir "$OUT/test_$1" \
    --out "$OUT/metrics_$1.json" --cfg-options custom_hooks.0.interval=5 \
    > "$OUT/test_$1.log" 2>&1 || { tail -n 30 "$OUT/test_$1.log"; exit 1; }
}
run_test fcsr configs/fcsr_stage2_synthetic.py "$OUT/stage2/iter_400.pth"
run_test bicubic configs/baselines/bicubic_synthetic.py
run_test telea configs/baselines/telea_synthetic.py

step "7/7 results"
"$PY" tools/analysis/results_table.py "FCSR-GAN (quickstart)=$OUT/metrics_fcsr.json" \
  "bicubic of the occluded input=$OUT/metrics_bicubic.json" \
  "Telea inpainting + bicubic=$OUT/metrics_telea.json" --out "$OUT/results.md"
"$PY" tools/analysis/collect_grid.py "$OUT/test_fcsr" --out "$OUT/results_grid.png"
"$PY" - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
m, b = (json.load(open(f'{out}/metrics_{k}.json')) for k in ('fcsr', 'bicubic'))
ok = m['PSNR'] > b['PSNR'] and m['SSIM'] > b['SSIM']
print('model beats bicubic on PSNR and SSIM:', 'yes' if ok else 'NO')
sys.exit(0 if ok else 1)
PYEOF
echo
echo "Done in $(( $(date +%s) - start )) s. Outputs:"
echo "  synthetic faces + contact sheet: $DATA/contact_sheet.png"
echo "  parsers:      $OUT/parser128, $OUT/parser32"
echo "  model:        $OUT/stage1, $OUT/stage2 (checkpoints, logs, result grids)"
echo "  metrics:      $OUT/results.md"
echo "  result grid:  $OUT/results_grid.png"
