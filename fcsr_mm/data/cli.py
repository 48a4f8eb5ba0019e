"""Argument handling shared by the converters in tools/dataset_converters/."""
import argparse
import sys
from typing import Callable

from .io import DataError


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
                   help='replace an --out that a converter wrote (refused '
                   'if it holds anything else)')
    return p


def run_converter(fn: Callable, *args, **kwargs):
    """Run the converter ``fn(*args, **kwargs)`` and print what it wrote.

    The converters write through :func:`fcsr_mm.data.io.converter_output`
    (staged, marked, and never replacing what they did not write), so the
    command line and Python are equally safe; here bad input and a refused
    ``--out`` exit with their one-line message, no traceback.
    """
    try:
        result = fn(*args, **kwargs)
    except (DataError, FileExistsError) as err:
        sys.exit(f'error: {err}')
    print(f'wrote {result}')
    return result
