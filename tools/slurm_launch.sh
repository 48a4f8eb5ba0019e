#!/usr/bin/env bash
# Run tools/SCRIPT on a Slurm cluster through mmengine's slurm launcher; used by
# slurm_train.sh and slurm_test.sh (mmagic's form):
#   bash tools/slurm_launch.sh SCRIPT PARTITION JOB_NAME [SCRIPT args]
# GPUS (8), GPUS_PER_NODE (8), CPUS_PER_TASK (5) and SRUN_ARGS come from the environment.
set -euo pipefail
SCRIPT=$1
PARTITION=$2
JOB_NAME=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
PYTHON=${PYTHON:-python}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck disable=SC2086  # SRUN_ARGS holds several arguments
srun -p "$PARTITION" --job-name="$JOB_NAME" --gres=gpu:"$GPUS_PER_NODE" \
  --ntasks="$GPUS" --ntasks-per-node="$GPUS_PER_NODE" \
  --cpus-per-task="$CPUS_PER_TASK" --kill-on-bad-exit=1 $SRUN_ARGS \
  "$PYTHON" -u "tools/$SCRIPT" "${@:4}" --launcher=slurm
