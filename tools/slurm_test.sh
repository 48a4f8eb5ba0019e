#!/usr/bin/env bash
# GPUS=8 bash tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [tools/test.py args]
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/slurm_launch.sh" test.py "$1" "$2" \
  "$3" "$4" "${@:5}"
