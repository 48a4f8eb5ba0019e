#!/usr/bin/env bash
# Short variant runs of the studies in docs/results.md, each tested on the
# first 500 test faces (seeded 16x16 blocks):
#   fcsr      the 32 px completion study: stage-1 L1 runs of the comparison's
#             CPU config (no learning-rate decay);
#   gl32      GL(32), its reference;
#   finetune  the adversarial-phase study: the stage-2 fine-tuning alone,
#             from the pixel-loss model (ablation/fcsr_stage2_finetune_...).
#
#   bash tools/analysis/variant_runs.sh NAME ITERS [fcsr|gl32|finetune] [key=value ...]
#   e.g. ... B_mask 800 fcsr model.generator.completion.mask_input=True
#
# Appends "NAME iters=... train_s=... test_s=... {metrics}" to
# $OUT/results.txt (OUT=work_dirs/completion_variants, or
# work_dirs/finetune_variants for finetune); a finished run is only
# re-tested.
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=$1; ITERS=$2; KIND=${3:-fcsr}; shift 3 || shift $#
PY=${PYTHON:-python}
DATA=${DATA:-../shared/data/celeba128}
case "$KIND" in
  fcsr) CFG=configs/comparison/fcsr_stage1_cpu-short_celeba128.py
        EXTRA="param_scheduler.generator.milestones=[100000] randomness.seed=0" ;;
  gl32) CFG=configs/peers/gl_1xb16-cpu_celeba128-32x32.py; EXTRA="" ;;
  finetune) CFG=configs/ablation/fcsr_stage2_finetune_celeba128_cpu.py; EXTRA="" ;;
  *) echo "kind $KIND: use fcsr, gl32 or finetune"; exit 2 ;;
esac
[ "$KIND" = finetune ] && DEFAULT_OUT=work_dirs/finetune_variants || DEFAULT_OUT=work_dirs/completion_variants
OUT=${OUT:-$DEFAULT_OUT}
WD=$OUT/$NAME
mkdir -p "$OUT"
COMMON="train_dataloader.dataset.data_root=$DATA val_dataloader.dataset.data_root=$DATA \
test_dataloader.dataset.data_root=$DATA train_cfg.max_iters=$ITERS train_cfg.val_interval=100000 \
default_hooks.checkpoint.interval=$ITERS $EXTRA"
start=$(date +%s)
if [ ! -f "$WD/iter_$ITERS.pth" ]; then
  resume=(); [ -f "$WD/last_checkpoint" ] && resume=(--resume)
  $PY tools/train.py $CFG --work-dir "$WD" "${resume[@]}" --cfg-options $COMMON "$@" > "$WD.train.log" 2>&1
fi
mid=$(date +%s)
$PY tools/test.py $CFG "$WD/iter_$ITERS.pth" --work-dir "$WD/test" --out "$WD.test.json" \
  --per-face-out "$WD.per_face.json" \
  --cfg-options $COMMON test_dataloader.dataset.indices=500 "$@" > "$WD.test.log" 2>&1
echo "$NAME iters=$ITERS train_s=$((mid - start)) test_s=$(( $(date +%s) - mid )) $(tr -d '\n' < "$WD.test.json")" >> "$OUT/results.txt"
