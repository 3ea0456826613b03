"""Draw docs/architecture.svg from the code: the top-level modules of detente and their imports.

Every import of every module is read (absolute, relative, inside functions). A solid arrow
A -> B means that importing A imports B; a dashed arrow means that A imports B only inside
functions (when a command runs or a loader is called). Modules are stacked in layers, each
above everything it imports at import time; arrows implied by a longer path are left out.

    python scripts/architecture_svg.py            # rewrite docs/architecture.svg
    python scripts/architecture_svg.py --check    # exit 1 when the picture is out of date

tests/test_docs.py runs the check, so the picture cannot drift from the code.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import sys
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "detente"
OUTPUT = REPO / "docs" / "architecture.svg"

#: How each module is drawn: (kind shown in the legend, fill colour). Okabe-Ito tints.
KINDS = {
    "outer": ("web app and command line", "#cfe4f3"),
    "registry": ("capability registry", "#f4e3c1"),
    "service": ("services (one per capability)", "#cdeee3"),
    "engine": ("consensus engine (numpy, scipy only)", "#f1dbe8"),
    "base": ("storage and cross-cutting modules", "#eceff3"),
}
KIND_OF = {
    "web": "outer", "cli": "outer", "capabilities": "registry", "demo": "registry",
    "consensus": "engine", "forum": "service", "deliberation": "service",
    "states": "service", "knowledge": "service", "reports": "service", "accounts": "service",
}
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN, DUMMY_W = 120, 34, 16, 52, 24, 6


def modules(package: Path = PACKAGE) -> list[str]:
    """The top-level modules and packages of detente."""
    return sorted(p.stem for p in package.iterdir()
                  if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file())


def _imported(path: Path, package: Path) -> list[tuple[str, bool]]:
    """(absolute module imported, only inside a function) for each import in ``path``."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, local: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend((alias.name, local) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts if is_package else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.extend((f"{module}.{alias.name}", local) for alias in node.names)
        inner = local or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        type_checking = isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in ast.iter_child_nodes(node):
            if not type_checking:
                visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def import_graph(package: Path = PACKAGE) -> dict[tuple[str, str], bool]:
    """{(importer, imported): only inside functions} between top-level modules."""
    names = set(modules(package))
    edges: dict[tuple[str, str], bool] = {}
    for path in sorted(package.rglob("*.py")):
        owner = path.relative_to(package).parts[0].removesuffix(".py")
        if owner not in names:
            continue
        for module, local in _imported(path, package):
            pieces = module.split(".")
            if pieces[0] != "detente" or len(pieces) < 2 or pieces[1] not in names:
                continue
            target = pieces[1]
            if target != owner:
                edges[(owner, target)] = edges.get((owner, target), True) and local
    return edges


def _layers(names: list[str], solid: set[tuple[str, str]]) -> dict[str, int]:
    """A layer per module, each above everything it imports at import time: the entry points
    (modules nothing imports at import time) on top, every other module just below the lowest
    of its importers, so that arrows stay short."""
    out, into = defaultdict(set), defaultdict(set)
    for a, b in solid:
        out[a].add(b)
        into[b].add(a)
    height: dict[str, int] = {}

    def depth(name: str, path: tuple[str, ...]) -> int:
        if name not in height:
            below = [depth(b, (*path, name)) for b in sorted(out[name]) if b not in path]
            height[name] = 1 + max(below, default=-1)
        return height[name]

    top = max(depth(name, ()) for name in names)
    layer: dict[str, int] = {}

    def place(name: str, path: tuple[str, ...]) -> int:
        if name not in layer:
            above = [place(a, (*path, name)) for a in sorted(into[name]) if a not in path]
            layer[name] = min(above) - 1 if above else top
        return layer[name]

    for name in names:
        place(name, ())
    return layer


def _reduce(edges: dict[tuple[str, str], bool]) -> dict[tuple[str, str], bool]:
    """Leave out an arrow A -> B when a path of two or more arrows leads from A to B (a solid
    arrow only through solid arrows)."""
    kept = {}
    for (a, b), local in edges.items():
        usable = {e for e, lazy in edges.items() if e != (a, b) and (local or not lazy)}
        reach, frontier = set(), {y for x, y in usable if x == a}
        while frontier:
            node = frontier.pop()
            reach.add(node)
            frontier |= {y for x, y in usable if x == node} - reach
        if b not in reach:
            kept[(a, b)] = local
    return kept


def _order(rows: dict[int, list[str]], links: set[tuple[str, str]]) -> None:
    """Order each row by the mean position of its neighbours (a few downward and upward
    sweeps), so that arrows cross less; ties are broken by name."""
    neighbours = defaultdict(set)
    for a, b in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    levels = sorted(rows)
    for sweep in range(8):
        position = {n: i - len(r) / 2 for r in rows.values() for i, n in enumerate(r)}
        for level in (reversed(levels) if sweep % 2 == 0 else levels):
            row = rows[level]

            def centre(name: str, row: list[str] = row,
                       position: dict[str, float] = position) -> tuple[float, str]:
                near = [position[n] for n in neighbours[name] if n not in row]
                return (sum(near) / len(near) if near else position[name], name)

            row.sort(key=centre)
            position.update({n: i - len(row) / 2 for i, n in enumerate(row)})


def _width(name: str) -> int:
    return DUMMY_W if name.startswith("~") else BOX_W


def render(package: Path = PACKAGE) -> str:
    """The SVG picture of the import graph."""
    names = modules(package)
    edges = import_graph(package)
    layer = _layers(names, {e for e, lazy in edges.items() if not lazy})
    drawn = _reduce(edges)
    rows: dict[int, list[str]] = defaultdict(list)
    for name in names:
        rows[layer[name]].append(name)
    # An arrow across several layers passes through a waypoint in each layer between.
    routes: dict[tuple[str, str], list[str]] = {}
    links: set[tuple[str, str]] = set()
    for a, b in sorted(drawn):
        step = -1 if layer[b] < layer[a] else 1
        chain = [a]
        for level in range(layer[a] + step, layer[b], step):
            waypoint = f"~{a}>{b}@{level}"
            rows[level].append(waypoint)
            chain.append(waypoint)
        chain.append(b)
        routes[(a, b)] = chain
        links |= set(itertools.pairwise(chain))
    _order(rows, links)
    spans = {level: sum(_width(n) for n in row) + (len(row) - 1) * GAP_X
             for level, row in rows.items()}
    width = 2 * MARGIN + max(spans.values())
    top = max(rows)
    legend_h = 3 * 24
    height = 2 * MARGIN + (top + 1) * BOX_H + top * GAP_Y + legend_h
    centre: dict[str, tuple[float, float]] = {}
    for level, row in rows.items():
        x = (width - spans[level]) / 2
        y = MARGIN + (top - level) * (BOX_H + GAP_Y)
        for name in row:
            centre[name] = (x + _width(name) / 2, y + BOX_H / 2)
            x += _width(name) + GAP_X
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height}" '
        f'width="{width:.0f}" height="{height}" font-family="DejaVu Sans, sans-serif" '
        'role="img" aria-labelledby="title">',
        '<title id="title">The top-level modules of detente and their imports, drawn from the '
        "code by scripts/architecture_svg.py</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#4a5563"/></marker></defs>',
        f'<rect x="0" y="0" width="{width:.0f}" height="{height}" fill="#ffffff"/>',
    ]
    for (a, b), chain in routes.items():
        points: list[tuple[float, float]] = []
        (xa, ya), (xb, yb) = centre[a], centre[b]
        if ya == yb:  # in one row: from side to side
            side = BOX_W / 2 if xb > xa else -BOX_W / 2
            points = [(xa + side, ya), (xb - side, yb)]
        for i, name in enumerate(chain if ya != yb else ()):
            x, y = centre[name]
            down = centre[b][1] > centre[a][1]
            if i == 0:
                points.append((x, y + (BOX_H / 2 if down else -BOX_H / 2)))
            elif i == len(chain) - 1:
                points.append((x, y - (BOX_H / 2 if down else -BOX_H / 2)))
            else:
                points += [(x, y - BOX_H / 2), (x, y + BOX_H / 2)][:: 1 if down else -1]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = ' stroke-dasharray="5 4"' if drawn[(a, b)] else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="#4a5563" '
                     f'stroke-width="1.2" stroke-linejoin="round"{dash} '
                     f'marker-end="url(#arrow)"><title>{a} imports {b}'
                     f"{' inside functions' if drawn[(a, b)] else ''}</title></polyline>")
    for name in names:
        x, y = centre[name]
        kind = KIND_OF.get(name, "base")
        parts.append(f'<rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{BOX_W}" '
                     f'height="{BOX_H}" rx="6" fill="{KINDS[kind][1]}" stroke="#4a5563"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="14" text-anchor="middle" '
                     f'fill="#1d2430">{escape(name)}</text>')
    y = height - MARGIN - legend_h + 8
    x = MARGIN
    for label, fill in KINDS.values():
        if x + 30 + 7 * len(label) > width - MARGIN:
            x, y = MARGIN, y + 24
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" rx="3" fill="{fill}" '
                     'stroke="#4a5563"/>')
        parts.append(f'<text x="{x + 20}" y="{y + 12}" font-size="12" fill="#1d2430">'
                     f"{escape(label)}</text>")
        x += 40 + 7 * len(label)
    y += 24
    parts.append(f'<line x1="{MARGIN}" y1="{y + 6}" x2="{MARGIN + 36}" y2="{y + 6}" '
                 'stroke="#4a5563" stroke-width="1.2" marker-end="url(#arrow)"/>')
    parts.append(f'<text x="{MARGIN + 44}" y="{y + 10}" font-size="12" fill="#1d2430">'
                 "imports when imported</text>")
    parts.append(f'<line x1="{MARGIN + 210}" y1="{y + 6}" x2="{MARGIN + 246}" y2="{y + 6}" '
                 'stroke="#4a5563" stroke-width="1.2" stroke-dasharray="5 4" '
                 'marker-end="url(#arrow)"/>')
    parts.append(f'<text x="{MARGIN + 254}" y="{y + 10}" font-size="12" fill="#1d2430">'
                 "imports inside functions only</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/architecture.svg differs from the code")
    args = parser.parse_args(argv)
    picture = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != picture:
            print(f"{OUTPUT.relative_to(REPO)} is out of date: run "
                  "python scripts/architecture_svg.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(picture, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
