"""tools/setup_env.sh: bad arguments and wheel folders are refused with the fix.

The whole offline install (``--download-wheels DIR`` here, then
``FCSR_WHEELS=DIR`` in a network namespace with no network) installs ~6 GB
and is measured in docs/installation.md, not run by the suite.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

SETUP_ENV = Path(__file__).parents[2] / 'tools' / 'setup_env.sh'


def _setup_env(tmp_path, *args, **extra_env):
    env = {k: v for k, v in os.environ.items() if k != 'FCSR_WHEELS'}
    env.update(FCSR_VENV=str(tmp_path / 'venv'),
               FCSR_CACHE=str(tmp_path / 'cache'), **extra_env)
    return subprocess.run(['bash', str(SETUP_ENV), *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize('args,match', [
    (['--download-wheels'], 'usage: bash tools/setup_env.sh --download-wheels DIR'),
    (['--download-wheels', 'a', 'b'], 'usage:'),
    (['--wheels', 'a'], "unknown argument '--wheels'"),
])
def test_bad_arguments_print_the_usage(tmp_path, args, match):
    result = _setup_env(tmp_path, *args)
    assert result.returncode == 2
    assert match in result.stderr
    assert not (tmp_path / 'venv').exists()


def test_download_needs_an_index(tmp_path):
    result = _setup_env(tmp_path, '--download-wheels', str(tmp_path / 'w'),
                        FCSR_WHEELS=str(tmp_path))
    assert result.returncode == 2
    assert 'unset FCSR_WHEELS' in result.stderr


@pytest.mark.parametrize('make', [None, 'empty'])
def test_a_missing_or_empty_wheel_folder_is_refused(tmp_path, make):
    wheels = tmp_path / 'wheels'
    if make:
        wheels.mkdir()
    result = _setup_env(tmp_path, FCSR_WHEELS=str(wheels))
    assert result.returncode == 1
    assert f'FCSR_WHEELS={wheels} is not a folder of wheels' in result.stderr
    assert f'bash tools/setup_env.sh --download-wheels {wheels}' in result.stderr
    assert not (tmp_path / 'venv').exists()


def test_a_wheel_folder_lacking_a_package_names_it_and_the_fix(tmp_path):
    """No index is asked, whatever pip's configuration says: the first step
    that needs a file stops (torch; or pip itself where python3 bundles a pip
    >= 25), naming the step and how to fill the folder."""
    wheels = tmp_path / 'wheels'
    wheels.mkdir()
    (wheels / 'README.txt').write_text('not a wheel')
    result = _setup_env(tmp_path, FCSR_WHEELS=str(wheels),
                        PIP_INDEX_URL='http://127.0.0.1:9/simple')
    assert result.returncode == 1, result.stderr
    assert f'installing from {wheels} only (no index)' in result.stderr
    assert '127.0.0.1' not in result.stderr  # the index was never asked
    step = re.search(r"'pip install (-r requirements/torch\.txt|-c "
                     r"requirements/constraints\.txt pip<25)' failed with "
                     f'only {re.escape(str(wheels))} to install from',
                     result.stderr)
    assert step, result.stderr
    # pip's own words name the package (how depends on pip's configuration)
    package = 'torch' if 'torch' in step.group(1) else 'pip'
    assert re.search(r'(No matching distribution found for|Cannot install) '
                     + package, result.stderr), result.stderr
    assert f'--download-wheels {wheels}' in result.stderr
    assert not (tmp_path / 'venv' / '.fcsr_mm_stamp').exists()
