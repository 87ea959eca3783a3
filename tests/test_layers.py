"""The package's layers import downwards only: no circle, nothing below the command line imports it.

The import graph is read from the source with ``ast`` (imports inside functions included), so
a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "smartcity_analysis"

#: Layers from the bottom up; a module may import its own layer or any layer below it.
LAYERS = (
    ("errors", "i18n", "paths", "files", "_version"),
    ("input",),
    ("model",),
    ("analysis",),
    ("assessment",),
    ("presentation",),
    ("pipeline",),
    ("cli", "__main__"),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its source)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        package = name.split(".") if is_package else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                candidates = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            for candidate in candidates:
                # the longest prefix that is a module of ours
                parts = candidate.split(".")
                for n in range(len(parts), 0, -1):
                    if ".".join(parts[:n]) in modules:
                        target = ".".join(parts[:n])
                        if target != name:
                            targets.add(target)
                        break
        graph[name] = targets
    return graph


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package's own __init__: the public facade may import anything
    for rank, names in enumerate(LAYERS):
        if parts[1] in names:
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if _layer(nxt) is None:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and _layer(start) is not None and (found := visit(start)):
            return found
    return None


def test_every_module_belongs_to_a_layer():
    for module in import_graph():
        _layer(module)


def test_imports_point_down_only():
    wrong = []
    for module, targets in import_graph().items():
        rank = _layer(module)
        if rank is None:
            continue
        for target in targets:
            target_rank = _layer(target)
            if target_rank is None:
                wrong.append(f"{module} -> {target} (the package facade)")
            elif target_rank > rank:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports pointing up a layer:\n" + "\n".join(sorted(wrong))


def test_no_import_circle():
    found = _cycle(import_graph())
    assert found is None, "import circle: " + " -> ".join(found)


def test_the_graph_sees_imports_inside_functions(tmp_path):
    # the walker must find a lazy import; check on a module known to have one
    graph = import_graph()
    assert any(targets for targets in graph.values())
    assert "smartcity_analysis.cli._args" in graph["smartcity_analysis.cli.score"]
