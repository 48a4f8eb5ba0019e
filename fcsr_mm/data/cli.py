"""Argument handling shared by the converters in tools/dataset_converters/."""
import argparse
import sys
from typing import Callable

from .io import DataError, prepare_output_dir, staged_dir


def converter_parser(doc: str, root_help: str,
                     out_required: bool = True) -> argparse.ArgumentParser:
    """A parser with the first doc line as description, the rest as epilog,
    and the arguments every converter has: root, --out, --workers,
    --overwrite."""
    lines = doc.strip().splitlines()
    p = argparse.ArgumentParser(
        description=lines[0], epilog='\n'.join(lines[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    if root_help:
        p.add_argument('root', help=root_help)
    p.add_argument('--out', required=out_required, help='output folder')
    p.add_argument('--workers', type=int, default=0,
                   help='processes (0: number of cores, at most 8)')
    p.add_argument('--overwrite', action='store_true',
                   help='write into a non-empty --out')
    return p


def run_converter(fn: Callable, root: str, out: str, *args,
                  overwrite: bool = False, **kwargs):
    """Run ``fn(root, <temporary folder>, *args, **kwargs)`` and move the
    result to ``out`` only when it is complete: a converter that fails or
    is killed leaves no half-written ``out`` (and an existing ``out`` is
    replaced only with ``overwrite``, after the new one is whole). Bad
    input exits with its message, no traceback."""
    try:
        prepare_output_dir(out, overwrite, create=False)
        with staged_dir(out) as partial:
            result = fn(root, partial, *args, **kwargs)
    except (DataError, FileExistsError) as err:
        sys.exit(f'error: {err}')
    print(f"wrote {result}")
    return result
