#!/usr/bin/env bash
# Create or update the project's virtual environment, idempotently.
#
#   bash tools/setup_env.sh                      # prints progress; last line: the venv's python
#   bash tools/setup_env.sh --download-wheels DIR
#       also puts every file the install takes (wheels; the sources of mmcv,
#       albumentations and qudida) into DIR, for a machine without an index
#   FCSR_WHEELS=DIR bash tools/setup_env.sh      # install from DIR only, no index
#
# FCSR_VENV   where the environment lives (default: ~/.cache/fcsr_mm/venv, outside
#             the repository, so fresh clones and CI reuse it)
# FCSR_CACHE  where the built mmcv wheel is kept, per torch version
#             (default: ~/.cache/fcsr_mm/wheels)
# FCSR_WHEELS a folder filled by --download-wheels on a machine with the same
#             Python version, OS and architecture: pip then runs with --no-index
#             --find-links DIR, and mmcv is built from the source in DIR
# PYTHON      the interpreter that creates the venv (default: python3, >= 3.10)
# FCSR_MMCV_OPS=1  compile mmcv's ops (about 13 min on 2 cores). By default mmcv
#             is installed without them (seconds): FCSR-GAN calls none, and
#             requirements/mmcv_ext_unbuilt.py makes `import mmcv.ops` work
#             while any call of an op raises with this fix.
set -euo pipefail
shopt -s inherit_errexit  # a failing step inside $(...) stops the script too
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${FCSR_VENV:-$HOME/.cache/fcsr_mm/venv}
CACHE=${FCSR_CACHE:-$HOME/.cache/fcsr_mm/wheels}
REQ=$ROOT/requirements
MMCV_VERSION=2.1.0
OPS=${FCSR_MMCV_OPS:-0}
WHEELS=${FCSR_WHEELS:-}
say() { echo "[setup_env] $*" >&2; }

DOWNLOAD=
case "${1:-}" in
  '') ;;
  --download-wheels)
    DOWNLOAD=${2:-}
    [ -n "$DOWNLOAD" ] && [ $# -eq 2 ] \
      || { say "usage: bash tools/setup_env.sh --download-wheels DIR"; exit 2; }
    [ -z "$WHEELS" ] || { say "--download-wheels needs an index; unset FCSR_WHEELS"; exit 2; }
    mkdir -p "$DOWNLOAD" && DOWNLOAD=$(cd "$DOWNLOAD" && pwd) ;;
  *) say "unknown argument '$1'; usage: bash tools/setup_env.sh [--download-wheels DIR]"; exit 2 ;;
esac
if [ -n "$WHEELS" ]; then
  [ -d "$WHEELS" ] && [ -n "$(ls -A "$WHEELS")" ] || { say "FCSR_WHEELS=$WHEELS is not a folder of \
wheels; fill it on a machine with an index and the same Python, OS and architecture: \
bash tools/setup_env.sh --download-wheels $WHEELS"; exit 1; }
  WHEELS=$(cd "$WHEELS" && pwd)
  export PIP_NO_INDEX=1 PIP_FIND_LINKS=$WHEELS
  say "installing from $WHEELS only (no index)"
fi

if [ ! -x "$VENV/bin/python" ]; then
  ${PYTHON:-python3} -c 'import sys; assert sys.version_info >= (3, 10), sys.version' \
    || { say "need Python >= 3.10 (set PYTHON=...)"; exit 1; }
  say "creating $VENV"
  mkdir -p "$(dirname "$VENV")"
  ${PYTHON:-python3} -m venv "$VENV"
fi
PY=$VENV/bin/python
# pip, and with FCSR_WHEELS the fix when the folder lacks something
pip_() {
  "$PY" -m pip --disable-pip-version-check -q "$@" && return 0
  local step="pip $*"
  [ -z "$WHEELS" ] || say "'${step//"$REQ/"/requirements/}' failed with only \
$WHEELS to install from; where pip (above) finds no matching distribution or cannot \
resolve one, the folder lacks a file: fill it again on a machine with an index: bash \
tools/setup_env.sh --download-wheels $WHEELS"
  return 1
}

# The pinned stack, one pip call each, in install order (installed, or downloaded
# with --download-wheels); requirements/ holds the pins, README "Why these pins".
C=(-c "$REQ/constraints.txt")
PIP_TOOLS=("${C[@]}" 'pip<25')
TORCH=(-r "$REQ/torch.txt")
# torch's metadata asks for setuptools>=77; mmcv 2.1.0's setup.py needs <70
# (see README). setuptools is only a build tool here, so the build pin wins.
BUILD_TOOLS=("${C[@]}" -r "$REQ/build.txt")
MMCV_SOURCE=(--no-deps --no-binary :all: --no-build-isolation "mmcv==$MMCV_VERSION")
STACK=("${C[@]}" -r "$REQ/runtime.txt" -r "$REQ/tests.txt" -r "$REQ/deploy.txt")
MMAGIC=("${C[@]}" --no-deps -r "$REQ/mmagic.txt")
PHOTO=("${C[@]}" --no-deps -r "$REQ/photo.txt")
# albumentations 1.3.1 and qudida built from source pick the installed
# opencv-python instead of pulling opencv-python-headless (a second OpenCV).
FROM_SOURCE=("${C[@]}" --no-build-isolation --no-binary albumentations,qudida
  albumentations==1.3.1 qudida==0.0.4)

# Everything this script installs is described by these files; when none has
# changed since the last successful run and the checks pass, nothing is done.
stamp_now=$( (cat "$REQ"/*.txt "$REQ"/*.py "$ROOT/tools/setup_env.sh" "$ROOT/setup.py"; echo "ops=$OPS") | sha256sum | cut -c1-16)
stamp_file=$VENV/.fcsr_mm_stamp
# the editable install of this checkout, in place of another checkout's: a
# legacy develop install of one checkout over another's leaves the other's
# line in easy-install.pth, ahead of this one, and fcsr_mm is imported from
# there
install_editable() {
  pip_ uninstall -y fcsr-mm >/dev/null 2>&1 || true
  "$PY" - <<'PYEOF'
import glob, os, site
for pth in glob.glob(os.path.join(site.getsitepackages()[0], 'easy-install.pth')):
    lines = open(pth).read().splitlines()
    kept = [l for l in lines
            if not os.path.isfile(os.path.join(l.strip(), 'fcsr_mm', '__init__.py'))]
    if kept != lines:
        open(pth, 'w').write('\n'.join(kept) + ('\n' if kept else ''))
PYEOF
  pip_ install --no-deps --no-build-isolation -e "$ROOT"
}
verify() {  # from /, so that fcsr_mm is found where the venv installed it
  (cd / && "$PY" - "$ROOT" "$OPS") <<'PYEOF'
import os, sys, warnings
warnings.filterwarnings('ignore')
import fcsr_mm
root = os.path.realpath(sys.argv[1])
if not os.path.realpath(fcsr_mm.__file__).startswith(root + os.sep):
    sys.exit(f'fcsr_mm is imported from {fcsr_mm.__file__}, not from {root}')
import mmagic.models, mmagic.datasets, mmagic.evaluation  # noqa: F401
import mmseg.models  # noqa: F401
import onnx, onnxruntime  # noqa: F401  tools/deployment/
from facenet_pytorch import MTCNN  # noqa: F401  tools/restore_photo.py
import mmcv.ops, torch
boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.], [20., 20., 30., 30.]])
if sys.argv[2] == '1':
    _, keep = mmcv.ops.nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
    assert keep.tolist() == [0, 2], keep  # a compiled mmcv op ran
else:
    try:  # ops not compiled: a call says so
        mmcv.ops.nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
        sys.exit('mmcv ops are compiled, but FCSR_MMCV_OPS is not 1')
    except RuntimeError as err:
        assert 'FCSR_MMCV_OPS=1' in str(err), err
PYEOF
}

# mmcv's sdist, unpacked into a temporary folder: prints the source folder
mmcv_source() {
  local build=$1
  pip_ download "${MMCV_SOURCE[@]}" -d "$build" >&2
  tar xzf "$build/mmcv-$MMCV_VERSION.tar.gz" -C "$build"
  echo "$build/mmcv-$MMCV_VERSION"
}
# the mmcv wheel for this torch and FCSR_MMCV_OPS, built once and cached: prints it
mmcv_wheel() {
  local torch_version wheel_dir wheel build src
  torch_version=$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')
  if [ "$OPS" = 1 ]; then
    wheel_dir=$CACHE/torch-$torch_version
  else  # pure Python: the same wheel serves every torch
    wheel_dir=$CACHE/mmcv-without-ops
  fi
  wheel=$(ls "$wheel_dir"/mmcv-$MMCV_VERSION-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    build=$(mktemp -d)
    src=$(mmcv_source "$build")
    if [ "$OPS" = 1 ]; then
      say "compiling mmcv $MMCV_VERSION with ops for torch $torch_version (about 13 min on 2 cores)"
      # torch >= 2.10 headers need C++20; mmcv 2.1.0 hard-codes C++14/17.
      sed -i "s/'-std=c++1[47]'/'-std=c++20'/g" "$src/setup.py"
    else
      say "building mmcv $MMCV_VERSION without compiled ops (FCSR_MMCV_OPS=1 compiles them)"
      # keep the distribution name mmcv (not mmcv-lite): mmagic and mmseg ask for it
      sed -i "s/name='mmcv' if os.getenv('MMCV_WITH_OPS', '1') == '1' else 'mmcv-lite'/name='mmcv'/" "$src/setup.py"
      cp "$REQ/mmcv_ext_unbuilt.py" "$src/mmcv/_ext.py"
    fi
    (cd "$src" && MMCV_WITH_OPS=$OPS MAX_JOBS=${MAX_JOBS:-$(nproc)} \
      pip_ wheel --no-deps --no-build-isolation -w "$build/wheel" .) \
      > "$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; say "mmcv build failed, log: $build/build.log"; exit 1; }
    mkdir -p "$wheel_dir"
    cp "$build"/wheel/mmcv-$MMCV_VERSION-*.whl "$wheel_dir/"
    wheel=$(ls "$wheel_dir"/mmcv-$MMCV_VERSION-*.whl | head -n 1)
    rm -rf "$build"
  fi
  echo "$wheel"
}

install_stack() {
  say "installing pip tools and torch"
  pip_ install "${PIP_TOOLS[@]}"
  pip_ install "${TORCH[@]}"
  pip_ install "${BUILD_TOOLS[@]}"
  local wheel
  wheel=$(mmcv_wheel)
  say "installing $(basename "$wheel") (compiled ops: $OPS)"
  pip_ install --no-deps --force-reinstall "$wheel"
  say "installing mmengine, mmsegmentation, mmagic and what their imports need"
  pip_ install "${STACK[@]}"
  pip_ install "${MMAGIC[@]}"
  pip_ install "${PHOTO[@]}"
  pip_ install "${FROM_SOURCE[@]}"
  install_editable
}

# every file install_stack takes, into $1 (run in this environment, so that the
# sources' metadata is read as the install reads it: mmcv's needs torch)
download_stack() {
  say "downloading the pinned stack into $1 (torch's CUDA wheels: several GB)"
  local step
  for step in PIP_TOOLS TORCH BUILD_TOOLS MMCV_SOURCE STACK MMAGIC PHOTO FROM_SOURCE; do
    local -n args=$step
    pip_ download -d "$1" "${args[@]}"
  done
  say "$(ls "$1" | wc -l) files, $(du -sh "$1" | cut -f1) in $1; on the offline machine: \
FCSR_WHEELS=$1 bash tools/setup_env.sh"
}

stamp_matches() { [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp_now" ]; }
if stamp_matches && verify 2>/dev/null; then
  say "environment up to date"
elif stamp_matches && { install_editable && verify 2>/dev/null; }; then
  # the same pins, installed from another checkout: only the editable install moves
  say "environment up to date; fcsr_mm now imported from $ROOT"
else
  rm -f "$stamp_file"
  install_stack
  say "checking the installation"
  verify
  echo "$stamp_now" > "$stamp_file"
  say "done"
fi
[ -z "$DOWNLOAD" ] || download_stack "$DOWNLOAD"
echo "$PY"
