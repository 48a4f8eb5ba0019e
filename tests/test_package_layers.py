"""The package's imports run one way (issue 21): every import of every
module, function-local ones included, goes to its own floor or one below,
and no modules import each other in a circle."""
import ast
import os.path as osp
from pathlib import Path

import pytest

import fcsr_mm

ROOT = Path(osp.dirname(fcsr_mm.__file__))
# lowest floor first; a package may import its own floor and those below
FLOORS = {
    'data': 0,           # dataset preparation, face template, image I/O
    'datasets': 1,       # the mmagic dataset and transforms
    'utils': 2,          # shared helpers (checkpoint I/O, precision, images)
    'parsing': 3,        # mmseg side: SegNet, the frozen parser
    'evaluation': 3,
    'visualization': 3,
    'models': 4,         # mmagic side: networks, losses, FCSRGAN
    'engine': 5,         # hooks, optim wrapper, the tools' runner set-up
    'deployment': 5,     # the onnxruntime restorer, below the API
    'apis': 6,           # build for inference, restore, test, export
    'benchmark': 7,      # rows, costs and speed, above the API
}


def module_name(path: Path) -> str:
    parts = ('fcsr_mm', ) + path.relative_to(ROOT).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def is_module(name: str) -> bool:
    rel = Path(*name.split('.')[1:])
    return (ROOT / rel).with_suffix('.py').is_file() \
        or (ROOT / rel / '__init__.py').is_file()


def imports_of(path: Path, source: str = None):
    """``(line, imported module)`` of every import statement of ``path``
    (or of ``source`` as if it were that file)."""
    name = module_name(path)
    package = name if path.name == '__init__.py' else name.rpartition('.')[0]
    source = path.read_text() if source is None else source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                up = package.split('.')[:len(package.split('.')) -
                                         node.level + 1]
                base = '.'.join(up + ([base] if base else []))
            for alias in node.names:  # ``from pkg import submodule``
                sub = f'{base}.{alias.name}'
                yield node.lineno, sub if is_module(sub) else base


def import_graph():
    """Module -> ``(line, module)`` it imports; importing
    ``fcsr_mm.pkg.mod`` from outside ``pkg`` runs ``pkg/__init__`` too, so
    that counts as an import of ``fcsr_mm.pkg`` as well."""
    graph = {}
    for path in sorted(ROOT.rglob('*.py')):
        name, edges = module_name(path), []
        for line, target in imports_of(path):
            if not target.startswith('fcsr_mm.'):
                continue
            edges.append((line, target))
            package = '.'.join(target.split('.')[:2])
            if package != target and not name.startswith(package):
                edges.append((line, package))
        graph[name] = edges
    return graph


def floor(module: str):
    parts = module.split('.')
    return FLOORS.get(parts[1]) if len(parts) > 1 else None


def upward_imports(graph):
    return [f'{module}:{line} imports {target}'
            for module, targets in graph.items() for line, target in targets
            if floor(module) is not None and floor(target) is not None
            and floor(target) > floor(module)]


def import_circles(graph):
    edges = {m: sorted({t for _, t in targets})
             for m, targets in graph.items()}
    state, circles = {}, []

    def visit(module, trail):
        state[module] = 'open'
        for target in edges.get(module, ()):
            if state.get(target) == 'open':
                circles.append(' -> '.join(trail[trail.index(target):] +
                                           [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[module] = 'done'

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return circles


def test_every_package_has_a_floor():
    packages = {p.parent.name for p in ROOT.glob('*/__init__.py')}
    assert packages == set(FLOORS), (
        'a package was added or removed: give it its floor in FLOORS')


def test_no_import_reaches_a_higher_floor():
    upward = upward_imports(import_graph())
    assert not upward, '\n'.join(upward)


def test_no_import_circle():
    circles = import_circles(import_graph())
    assert not circles, '\n'.join(circles)


def test_the_checks_find_what_they_look_for():
    graph = {'fcsr_mm.models.a': [(3, 'fcsr_mm.apis'), (4, 'fcsr_mm.data')],
             'fcsr_mm.apis': [(1, 'fcsr_mm.models.a')]}
    assert upward_imports(graph) == [
        'fcsr_mm.models.a:3 imports fcsr_mm.apis']
    assert import_circles(graph) == [
        'fcsr_mm.apis -> fcsr_mm.models.a -> fcsr_mm.apis']


@pytest.mark.parametrize('source, want', [
    ('from fcsr_mm.apis import init_restorer\n', 'fcsr_mm.apis'),
    ('from fcsr_mm.utils import precision\n', 'fcsr_mm.utils.precision'),
    ('from ..models import complexity\n', 'fcsr_mm.models.complexity'),
    ('from .timing import median_seconds\n', 'fcsr_mm.benchmark.timing'),
    ('def f():\n    import fcsr_mm.apis.restore\n',
     'fcsr_mm.apis.restore'),
])
def test_the_walker_resolves_imports(source, want):
    # as if the source were fcsr_mm/benchmark/rows.py
    path = ROOT / 'benchmark' / 'rows.py'
    assert [t for _, t in imports_of(path, source)] == [want]
