#!/usr/bin/env bash
# Data loading's share of every training phase of both stages on the real
# CelebA faces (issue 18): short runs of the CPU configs with each phase
# moved to start early, then tools/analysis/data_time.py on their logs.
#
#   bash tools/analysis/measure_data_time.sh [DATA_ROOT] [OUT_DIR]
#
# Parsers: the quickstart's (work_dirs/quickstart/parser32|parser128; any
# trained parser of the same configs will do: data time does not depend on
# its weights). Precision: the configs' own ('auto').
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data/celeba128}
OUT=${2:-work_dirs/data_time}
PY=${PYTHON:-python}
P32=work_dirs/quickstart/parser32/iter_300.pth
P128=work_dirs/quickstart/parser128/iter_200.pth
for f in "$P32" "$P128"; do
  [ -f "$f" ] || { echo "$f missing: run tools/quickstart.sh first"; exit 2; }
done
data() {
  for s in train val test; do echo "${s}_dataloader.dataset.data_root=$DATA"; done
}
common="train_cfg.val_interval=100000 default_hooks.logger.interval=5 log_processor.window_size=5"
mkdir -p "$OUT"
# stage 1: l1 0-59, local_adv 60-99, all 100-139
$PY tools/train.py configs/fcsr_stage1_celeba128_cpu.py --work-dir "$OUT/stage1" \
  --overwrite-checkpoints --cfg-options $(data) $common train_cfg.max_iters=140 \
  default_hooks.checkpoint.interval=140 \
  model.train_cfg.phases.local_adv.begin=60 model.train_cfg.phases.all.begin=100 \
  model.losses.parsing_lr.parser_config=configs/parser/segnet_s3c16_1xb16-300_synthetic-32x32.py \
  model.losses.parsing_lr.parser_checkpoint=$P32 > "$OUT/stage1.log" 2>&1
# stage 2: sr 0-29, all 30-44 (an all-terms iteration is 10-20 s here)
$PY tools/train.py configs/fcsr_stage2_celeba128_cpu.py --work-dir "$OUT/stage2" \
  --overwrite-checkpoints --cfg-options $(data) $common train_cfg.max_iters=45 \
  default_hooks.checkpoint.interval=45 load_from="$OUT/stage1/iter_140.pth" \
  model.train_cfg.phases.all.begin=30 \
  model.losses.parsing.parser_config=configs/parser/segnet_s4c8_1xb8-200_synthetic-128x128.py \
  model.losses.parsing.parser_checkpoint=$P128 > "$OUT/stage2.log" 2>&1
for s in stage1 stage2; do
  $PY tools/analysis/data_time.py "$OUT/$s" --out "$OUT/$s.md"
done
