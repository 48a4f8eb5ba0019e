"""The converters never delete what they did not write: an --out that is,
holds or lies inside the input is refused, and --overwrite replaces only a
folder carrying a converter's marker and nothing else; a refusal touches
nothing. From the command line and from Python."""
import json
import os
import re
import shutil

import cv2
import numpy as np
import pytest

from fcsr_mm.data.face_converters import convert_aligned_folder
from fcsr_mm.data.io import OUTPUT_MARKER, DataError, converter_output
from fcsr_mm.data.synthetic_writer import write_synthetic_faces


def _snapshot(folder):
    """Every entry under ``folder``: file bytes, link targets, folders."""
    state = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(top, name)
            rel = os.path.relpath(path, folder)
            state[rel] = (os.readlink(path) if os.path.islink(path) else
                          'dir' if os.path.isdir(path) else
                          open(path, 'rb').read())
    return state


@pytest.fixture
def src(tmp_path, synthetic_root):
    """A copy of the synthetic aligned faces, with a sibling user folder."""
    root = tmp_path / 'data' / 'celeba128'
    shutil.copytree(f'{synthetic_root}/aligned', root)
    (tmp_path / 'data' / 'other').mkdir()
    (tmp_path / 'data' / 'other' / 'notes.txt').write_text('mine')
    return root


@pytest.mark.parametrize('case', ['is', 'contains', 'symlink', 'dotdot',
                                  'inside', 'is-no-overwrite'])
def test_out_overlapping_the_input_is_refused(tool, tmp_path, src, case):
    os.symlink(src, tmp_path / 'link')
    out = {'is': src, 'is-no-overwrite': src, 'contains': src.parent,
           'symlink': tmp_path / 'link', 'dotdot': src / 'images' / '..',
           'inside': src / 'images' / 'new'}[case]
    before = _snapshot(tmp_path)
    conv = tool('dataset_converters/aligned_faces.py')
    flags = [] if case == 'is-no-overwrite' else ['--overwrite']
    how = {'contains': 'contains', 'inside': 'lies inside'}.get(case, 'is')
    with pytest.raises(SystemExit, match=re.escape(
            f"--out '{out}' {how} the input '{src}'")):
        conv.main([str(src), '--out', str(out), '--workers', '1', *flags])
    assert _snapshot(tmp_path) == before


def _make_celeba(root, n=3):
    (root / 'img_align_celeba').mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        cv2.imwrite(str(root / 'img_align_celeba' / f'{i + 1:06d}.jpg'),
                    rng.integers(0, 255, (218, 178, 3), np.uint8))
    (root / 'list_eval_partition.txt').write_text(
        ''.join(f'{i + 1:06d}.jpg {i % 3}\n' for i in range(n)))
    return root


def test_overwrite_keeps_a_folder_no_converter_wrote(tool, tmp_path):
    celeba = _make_celeba(tmp_path / 'celeba')
    out = tmp_path / 'out'
    (out / 'sub').mkdir(parents=True)
    (out / 'sub' / 'thesis.tex').write_text('mine')
    before = _snapshot(tmp_path)
    conv = tool('dataset_converters/celeba.py')
    with pytest.raises(SystemExit, match=f"'{out}'.*no marker: not written "
                       'by a converter.*another --out'):
        conv.main([str(celeba), '--out', str(out), '--overwrite'])
    assert _snapshot(tmp_path) == before


def _files(folder):
    return sorted(os.path.relpath(os.path.join(top, f), folder)
                  for top, _, files in os.walk(folder) for f in files)


def test_overwrite_replaces_a_converters_own_output(tool, tmp_path, src):
    conv = tool('dataset_converters/aligned_faces.py')
    out = tmp_path / 'out'
    conv.main([str(src), '--out', str(out), '--workers', '1'])
    marker = json.load(open(out / OUTPUT_MARKER))
    assert marker['writer'] == 'convert_aligned_folder'
    assert marker['files'] == [f for f in _files(out) if f != OUTPUT_MARKER]
    # one face fewer: the old one must go, not linger beside the new run
    test = (src / 'meta/test.txt').read_text().split()
    (src / 'meta/test.txt').write_text('\n'.join(test[1:]) + '\n')
    (out / 'empty').mkdir()  # holds nothing to lose: no reason to refuse
    conv.main([str(src), '--out', str(out), '--workers', '1', '--overwrite'])
    assert not (out / 'images' / test[0]).exists()
    assert (out / 'images' / test[1]).exists()
    marker = json.load(open(out / OUTPUT_MARKER))
    assert f'images/{test[0]}' not in marker['files']
    # no staged folder left beside out
    assert sorted(os.listdir(tmp_path)) == ['data', 'out']


def test_overwrite_refuses_a_file_added_to_a_converters_output(tool,
                                                               tmp_path, src):
    conv = tool('dataset_converters/aligned_faces.py')
    out = tmp_path / 'out'
    conv.main([str(src), '--out', str(out), '--workers', '1'])
    shutil.copy(src / 'images' / 'synth_000000.png',
                out / 'images' / 'my_face.png')
    before = _snapshot(tmp_path)
    with pytest.raises(SystemExit, match="'images/my_face.png' is not a "
                       'file its converter wrote.*move that file away'):
        conv.main([str(src), '--out', str(out), '--workers', '1',
                   '--overwrite'])
    assert _snapshot(tmp_path) == before


def test_python_api_is_equally_safe(tmp_path, src):
    before = _snapshot(tmp_path)
    with pytest.raises(DataError, match='is the input'):
        convert_aligned_folder(str(src), str(src), overwrite=True)
    with pytest.raises(DataError, match='contains the input'):
        convert_aligned_folder(str(src), str(tmp_path), overwrite=True)
    with pytest.raises(FileExistsError, match='no marker'):
        write_synthetic_faces(str(src.parent / 'other'), num=10, canvas=96,
                              overwrite=True)
    assert _snapshot(tmp_path) == before
    # an empty folder (as pytest makes them) is fine, and a writer's own
    # output is replaced, but not once a user's file is in it
    out = tmp_path / 'synthetic'
    out.mkdir()
    write_synthetic_faces(str(out), num=10, canvas=96, overwrite=True)
    write_synthetic_faces(str(out), num=12, canvas=96, overwrite=True)
    assert len(os.listdir(out / 'aligned' / 'images')) == 12
    (out / 'helen' / 'labels' / 'mine.txt').write_text('mine')
    with pytest.raises(FileExistsError, match="'helen/labels/mine.txt'"):
        write_synthetic_faces(str(out), num=10, canvas=96, overwrite=True)
    assert len(os.listdir(out / 'aligned' / 'images')) == 12


def test_a_file_added_to_out_during_a_run_is_kept(tmp_path):
    """``out`` is checked again just before the swap: a file put there
    while the converter ran stays, and so does the new output."""
    out = tmp_path / 'out'
    with converter_output(str(out), False, 'test') as staged:
        open(os.path.join(staged, 'a.txt'), 'w').write('first')
    with pytest.raises(FileExistsError, match="'late.txt'.*kept in"):
        with converter_output(str(out), True, 'test') as staged:
            open(os.path.join(staged, 'a.txt'), 'w').write('second')
            (out / 'late.txt').write_text('mine')
    assert (out / 'late.txt').read_text() == 'mine'
    assert (out / 'a.txt').read_text() == 'first'
    kept = [d for d in os.listdir(tmp_path) if d.startswith('out.partial-')]
    assert len(kept) == 1
    assert open(tmp_path / kept[0] / 'a.txt').read() == 'second'


def test_synthetic_cli_replaces_only_its_own_output(tool, tmp_path):
    conv = tool('dataset_converters/synthetic_faces.py')
    out = tmp_path / 'synthetic'
    args = ['--out', str(out), '--num', '10', '--canvas', '96',
            '--workers', '1']
    conv.main(args)
    assert 'contact_sheet.png' in json.load(open(out / OUTPUT_MARKER))['files']
    conv.main(args + ['--overwrite'])
    (out / 'aligned' / 'notes.txt').write_text('mine')
    before = _snapshot(tmp_path)
    with pytest.raises(SystemExit, match="'aligned/notes.txt'"):
        conv.main(args + ['--overwrite'])
    assert _snapshot(tmp_path) == before
