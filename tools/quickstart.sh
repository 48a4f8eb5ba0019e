#!/usr/bin/env bash
# The main job, end to end, on the built-in synthetic faces:
#   synthetic faces -> the two face parsers -> stage 1 -> stage 2 -> test ->
#   PSNR/SSIM table (model vs bicubic vs Telea) and a PNG grid of results.
# Exits non-zero unless FCSR-GAN beats Telea + bicubic (or the row
# QUICKSTART_GATE names) on PSNR and SSIM, over the whole face and inside the
# hole.
# Installs what it needs first (tools/setup_env.sh). Re-running skips the
# steps whose outputs exist (the tests, when their metrics are newer than the
# stage-2 checkpoint) and continues a training that was stopped (--resume,
# from the checkpoints it left); QUICKSTART_FRESH=1 redoes everything.
#
# Settings (environment; the defaults are the full quickstart):
#   QUICKSTART_OUT=work_dirs/quickstart   checkpoints, logs, metrics, tables
#   QUICKSTART_DATA=data/synthetic        the synthetic faces and parser data
#   QUICKSTART_FACES=2000                 synthetic faces to draw
#   QUICKSTART_ITERS="200 300 700 370"    iterations of the 128 px parser, the
#                                         32 px parser, stage 1 and stage 2
#   QUICKSTART_GATE=telea                 the row FCSR-GAN must beat: telea, or
#                                         bicubic (for a short QUICKSTART_ITERS)
#   QUICKSTART_PRECISION=auto             training precision (tools/train.py
#                                         --precision): auto (bf16 where the CPU
#                                         has AMX / AVX512-BF16), fp32 or bf16
#   QUICKSTART_PYTHON                     an interpreter with the stack installed
#                                         (default: tools/setup_env.sh's venv)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${QUICKSTART_PYTHON:-}
if [ -z "$PY" ]; then PY=$(bash tools/setup_env.sh | tail -n 1); fi
export PYTHONWARNINGS="ignore::FutureWarning,ignore::DeprecationWarning"
OUT=${QUICKSTART_OUT:-work_dirs/quickstart}
DATA=${QUICKSTART_DATA:-data/synthetic}
FACES=${QUICKSTART_FACES:-2000}
ITERS=${QUICKSTART_ITERS:-200 300 700 370}
[[ $ITERS =~ ^\ *[1-9][0-9]*(\ +[1-9][0-9]*){3}\ *$ ]] || { echo "QUICKSTART_ITERS='$ITERS': \
give four iteration counts (128 px parser, 32 px parser, stage 1, stage 2), e.g. '200 300 700 370'"; exit 2; }
read -r P128_ITERS P32_ITERS S1_ITERS S2_ITERS <<< "$ITERS"
GATE=${QUICKSTART_GATE:-telea}
case "$GATE" in telea|bicubic) ;; *) echo "QUICKSTART_GATE=$GATE: use telea or bicubic"; exit 2 ;; esac
PRECISION=${QUICKSTART_PRECISION:-auto}
case "$PRECISION" in auto|fp32|bf16) ;; *) echo "QUICKSTART_PRECISION=$PRECISION: use auto, fp32 or bf16"; exit 2 ;; esac
if [ "${QUICKSTART_FRESH:-0}" = 1 ]; then rm -rf "$OUT" "$DATA"; fi
mkdir -p "$OUT"
start=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - start )) s] $*"; }

step "1/7 synthetic faces -> $DATA"
if [ ! -f "$DATA/aligned/meta/test.txt" ]; then
  "$PY" tools/dataset_converters/synthetic_faces.py --out "$DATA" --num "$FACES" --overwrite
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
# --cfg-options of a run: its data, its length (validation and the checkpoint
# at the end, as the configs do) and the files it reads from earlier steps
run_options() {  # data_root iterations [key=value...]
  local root=$1 iters=$2 loader
  shift 2
  local opts=("data_root=$root" "train_cfg.max_iters=$iters" "train_cfg.val_interval=$iters"
              "default_hooks.checkpoint.interval=$iters" "$@")
  for loader in train_dataloader val_dataloader test_dataloader; do
    opts+=("$loader.dataset.data_root=$root")
  done
  printf '%s\n' "${opts[@]}"
}
# the path the trainings took, from their logs, once (again only if it changes)
shown_precision=
show_precision() {  # log_file
  local line
  line=$(grep -m 1 -o "training precision .*" "$1" || true)
  if [ -n "$line" ] && [ "$line" != "$shown_precision" ]; then
    echo "   $line"
    shown_precision=$line
  fi
}
train() {  # config work_dir iterations data_root [key=value...]
  local config=$1 dir=$2 iters=$3 resume=() opts
  if [ ! -f "$dir/iter_$iters.pth" ]; then
    # a stopped run left checkpoints here: continue it (train.py does not
    # start over checkpoints without --resume)
    if [ -f "$dir/last_checkpoint" ]; then resume=(--resume); echo "   resuming $dir"; fi
    mapfile -t opts < <(run_options "$4" "$iters" "${@:5}")
    run_logged "$dir.log" "$PY" tools/train.py "$config" --work-dir "$dir" \
      --precision "$PRECISION" "${resume[@]}" --cfg-options "${opts[@]}"
    show_precision "$dir.log"
  fi
  echo "   $dir/iter_$iters.pth"
}
PARSER128=$OUT/parser128/iter_$P128_ITERS.pth
PARSER32=$OUT/parser32/iter_$P32_ITERS.pth
STAGE1=$OUT/stage1/iter_$S1_ITERS.pth
STAGE2=$OUT/stage2/iter_$S2_ITERS.pth
step "3/7 face parsers (128 px and 32 px)"
train configs/parser/segnet_s4c8_1xb8-200_synthetic-128x128.py "$OUT/parser128" "$P128_ITERS" \
  "$DATA/parser"
train configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py "$OUT/parser32" "$P32_ITERS" \
  "$DATA/parser"
step "4/7 stage 1: completion module (L1 -> + local adv -> all terms)"
train configs/fcsr_stage1_synthetic.py "$OUT/stage1" "$S1_ITERS" "$DATA/aligned" \
  "model.losses.parsing_lr.parser_checkpoint=$PARSER32"
step "5/7 stage 2: SR module, then everything"
train configs/fcsr_stage2_synthetic.py "$OUT/stage2" "$S2_ITERS" "$DATA/aligned" \
  "model.losses.parsing.parser_checkpoint=$PARSER128" "load_from=$STAGE1"

step "6/7 test FCSR-GAN, bicubic and Telea on the synthetic test faces (random 16x16 block, fixed per face)"
TEST_ALL=$(cat <<'PYEOF'
import sys
from fcsr_mm.apis import run_test
out, data, stage2, parser128, vis_every = sys.argv[1:]
root = f'{data}/aligned'
# every dataloader: mmagic's visualization hook reads runner.iter, which
# builds the training loop, and with it the training set
on_data = {'data_root': root, **{f'{loader}.dataset.data_root': root for loader
           in ('train_dataloader', 'val_dataloader', 'test_dataloader')}}
for name, config, ckpt in [
        ('fcsr', 'configs/fcsr_stage2_synthetic.py', stage2),
        ('bicubic', 'configs/baselines/bicubic_synthetic.py', None),
        ('telea', 'configs/baselines/telea_synthetic.py', None)]:
    opts = dict(on_data, **{'custom_hooks.0.interval': int(vis_every),
                            'visualizer.name': f'quickstart_{name}'})
    if ckpt:  # the full model is built: its parsing loss reads the parser
        opts['model.losses.parsing.parser_checkpoint'] = parser128
    run_test(config, ckpt, opts, work_dir=f'{out}/test_{name}',
             out=f'{out}/metrics_{name}.json')
PYEOF
)
tested=1
for name in fcsr bicubic telea; do
  [ "$OUT/metrics_$name.json" -nt "$STAGE2" ] || tested=0
done
if [ "$tested" = 1 ]; then
  echo "   metrics newer than $STAGE2 kept: $OUT/metrics_{fcsr,bicubic,telea}.json"
else
  # result pictures of every 5th test batch (of 8 faces), or of each when
  # there are fewer than five batches (the grid needs some)
  batches=$(( ($(wc -l < "$DATA/aligned/meta/test.txt") + 7) / 8 ))
  run_logged "$OUT/test.log" "$PY" -c "$TEST_ALL" "$OUT" "$DATA" "$STAGE2" "$PARSER128" \
    "$(( batches < 5 ? 1 : 5 ))"
fi

step "7/7 results"
"$PY" tools/analysis/results_table.py "FCSR-GAN (quickstart)=$OUT/metrics_fcsr.json" \
  "bicubic of the occluded input=$OUT/metrics_bicubic.json" \
  "Telea inpainting + bicubic=$OUT/metrics_telea.json" --out "$OUT/results.md"
"$PY" tools/analysis/collect_grid.py "fcsr=$OUT/test_fcsr" "telea=$OUT/test_telea" \
  --columns input=fcsr:0 "Telea+bicubic=telea:2" "completed 32=fcsr:1" \
  "FCSR-GAN=fcsr:2" "ground truth=fcsr:3" --out "$OUT/results_grid.png"
"$PY" - "$OUT" "$GATE" <<'PYEOF'
import json, sys
out, gate = sys.argv[1:]
m, t = (json.load(open(f'{out}/metrics_{k}.json')) for k in ('fcsr', gate))
keys = ('PSNR', 'SSIM', 'HolePSNR', 'HoleSSIM')
lost = [k for k in keys if not m[k] > t[k]]
row = {'telea': 'Telea + bicubic', 'bicubic': 'bicubic of the occluded input'}[gate]
print(f'FCSR-GAN beats {row} on PSNR and SSIM, whole face and hole:',
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
