"""The import-time stack check names the package, the version and the fix."""
import pytest

from fcsr_mm.utils.stack_check import check_stack

GOOD = {'numpy': '1.26.4', 'mmcv': '2.1.0'}


def _check(versions, has_ext=True):
    check_stack(version_of=versions.get, has_module=lambda name: has_ext)


def test_the_tested_stack_passes():
    _check(GOOD)


@pytest.mark.parametrize('versions,has_ext,match', [
    (dict(GOOD, numpy='2.1.0'), True, r'numpy < 2.*found numpy 2\.1\.0.*'
     r'pip install "numpy<2"'),
    (dict(GOOD, mmcv='2.2.0'), True, r'found mmcv 2\.2\.0.*mim install'),
    (dict(GOOD, mmcv='1.7.2'), True, r'found mmcv 1\.7\.2'),
    ({'numpy': '1.26.4'}, True, 'not installed'),
    (GOOD, False, r'mmcv 2\.1\.0 has no mmcv\._ext.*setup_env'),
])
def test_unusable_stacks_are_refused(versions, has_ext, match):
    with pytest.raises(ImportError, match=match):
        _check(versions, has_ext)


def test_setup_py_requirements_hold_for_the_tested_stack(repo):
    """What setup.py asks of a user's environment is met by the pinned stack
    tools/setup_env.sh installs (the two ways in describe one stack)."""
    import ast
    from importlib.metadata import version
    from packaging.requirements import Requirement
    tree = ast.parse(open(f'{repo}/setup.py').read())
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call)
                and getattr(node.func, 'id', None) == 'setup')
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords
              if k.arg in ('install_requires', 'extras_require')}
    reqs = kwargs['install_requires'] + kwargs['extras_require']['deploy']
    assert {'mmagic', 'mmsegmentation', 'numpy', 'diffusers'} <= {
        Requirement(r).name for r in reqs}
    for text in reqs:
        req = Requirement(text)
        assert req.specifier.contains(version(req.name)), (
            f'setup.py asks for {text}; the tested stack has '
            f'{req.name} {version(req.name)}')
