#!/usr/bin/env bash
# Train every model of docs/comparison.md on ../shared/data/celeba128 with
# its CPU schedule (the peers, FCSR-GAN, and Fig. 11's bottleneck sizes),
# one after another, and record each run's wall time in
# <work_dir>/wall_time.json (the benchmark table states it).
#   bash tools/analysis/train_comparison.sh            # all runs
#   bash tools/analysis/train_comparison.sh gl32 pconv128   # some
# A run whose last checkpoint exists is skipped; logs: work_dirs/<run>.log.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PY=$(bash tools/setup_env.sh | tail -n 1)
export PYTHONWARNINGS="ignore::FutureWarning,ignore::DeprecationWarning"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
if [ ! -f data/celeba128/meta/test.txt ]; then
  "$PY" tools/dataset_converters/aligned_faces.py ../shared/data/celeba128 --out data/celeba128
fi
# name config work_dir last_checkpoint
RUNS="
fcsr1 configs/comparison/fcsr_stage1_cpu-short_celeba128.py work_dirs/fcsr_stage1_cpu-short_celeba128 iter_1500.pth
fcsr2 configs/comparison/fcsr_stage2_cpu-short_celeba128.py work_dirs/fcsr_stage2_cpu-short_celeba128 iter_320.pth
msrresnet configs/peers/msrresnet_x4c64b16_1xb16-cpu_celeba128.py work_dirs/msrresnet_x4c64b16_1xb16-cpu_celeba128 iter_300.pth
edsr configs/peers/edsr_x4c64b16_1xb16-cpu_celeba128.py work_dirs/edsr_x4c64b16_1xb16-cpu_celeba128 iter_300.pth
gl32 configs/peers/gl_1xb16-cpu_celeba128-32x32.py work_dirs/gl_1xb16-cpu_celeba128-32x32 iter_800.pth
gl128 configs/peers/gl_1xb16-cpu_celeba128-128x128.py work_dirs/gl_1xb16-cpu_celeba128-128x128 iter_100.pth
pconv128 configs/peers/pconv_1xb16-cpu_celeba128-128x128.py work_dirs/pconv_1xb16-cpu_celeba128-128x128 iter_120.pth
fc128 configs/ablation/fcsr_stage1_fc128_cpu-short_celeba128.py work_dirs/fcsr_stage1_fc128_cpu-short_celeba128 iter_1500.pth
fc512 configs/ablation/fcsr_stage1_fc512_cpu-short_celeba128.py work_dirs/fcsr_stage1_fc512_cpu-short_celeba128 iter_1500.pth
fc1024 configs/ablation/fcsr_stage1_fc1024_cpu-short_celeba128.py work_dirs/fcsr_stage1_fc1024_cpu-short_celeba128 iter_1500.pth
"
wanted=" $* "
echo "$RUNS" | while read -r name config work_dir last; do
  [ -z "$name" ] && continue
  if [ $# -gt 0 ] && [[ "$wanted" != *" $name "* ]]; then continue; fi
  if [ -f "$work_dir/$last" ]; then echo "$name: $work_dir/$last exists, skipped"; continue; fi
  echo "$name: training $config (log: $work_dir.log)"
  mkdir -p "$(dirname "$work_dir")"
  t0=$(date +%s)
  "$PY" tools/train.py "$config" --work-dir "$work_dir" > "$work_dir.log" 2>&1 \
    || { tail -n 30 "$work_dir.log"; echo "$name failed, log: $work_dir.log"; exit 1; }
  t1=$(date +%s)
  printf '{"config": "%s", "start": "%s", "wall_s": %d, "threads": %s, "host": "%s"}\n' \
    "$config" "$(date -u -d @"$t0" +%FT%TZ)" $((t1 - t0)) "$OMP_NUM_THREADS" \
    "$(nproc) CPU cores" > "$work_dir/wall_time.json"
  echo "$name: $((t1 - t0)) s"
done
