"""requirements.in and requirements.txt agree.

requirements.in names the direct dependencies; requirements.txt pins, exactly, what they
need. The two disagree when a name of the .in is not pinned, when something a name needs
(following the installed distributions' own requirements, markers evaluated) is not
pinned, or when a pin is needed by nothing: a package the project uses but never named,
or dead weight. No network: the requirements are read from the venv's metadata.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

from tests.support import ROOT

# A distribution's Requires-Dist lines; None when it is not installed.
Requires = Callable[[NormalizedName], Iterable[str] | None]


def lines(text: str) -> Iterable[tuple[int, str]]:
    """Numbered lines, comments (`#` to the end of the line) and blank lines left out."""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            yield number, line


def direct(in_text: str) -> list[Requirement]:
    """The requirements of requirements.in, one a line."""
    return [Requirement(line) for _, line in lines(in_text)]


def pins(txt_text: str) -> dict[NormalizedName, str]:
    """The `name==version` lines of requirements.txt (uv's `# via` comments are comments)."""
    found: dict[NormalizedName, str] = {}
    for number, line in lines(txt_text):
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        exact = len(specifiers) == 1 and specifiers[0].operator == "=="
        if not exact or "*" in str(requirement.specifier) or requirement.extras:
            raise ValueError(f"requirements.txt line {number} is not name==version: {line!r}")
        if requirement.marker or requirement.url:
            raise ValueError(f"requirements.txt line {number} is not name==version: {line!r}")
        name = canonicalize_name(requirement.name)
        if name in found:
            raise ValueError(f"requirements.txt line {number} pins {name} a second time")
        found[name] = specifiers[0].version
    return found


def needed(roots: Iterable[Requirement], requires: Requires) -> tuple[dict[str, str], set[str]]:
    """Every distribution the roots need, each with the first that needs it (by name), and
    the needed ones that are not installed (their own requirements can't be followed).

    A requirement counts when it has no marker or its marker holds here, for no extra or
    for an extra asked of the distribution that requires it (nbconvert needs bleach[css],
    and bleach needs tinycss2 only `extra == "css"`)."""
    via: dict[str, str] = {}
    absent: set[str] = set()
    todo = [(requirement, "requirements.in") for requirement in roots]
    expanded: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement, parent = todo.pop(0)
        name = canonicalize_name(requirement.name)
        extras = frozenset(canonicalize_name(extra) for extra in requirement.extras)
        via.setdefault(name, parent)
        if (name, extras) in expanded:
            continue
        expanded.add((name, extras))
        found = requires(name)
        if found is None:
            absent.add(name)
            continue
        for line in found:
            child = Requirement(line)
            if child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in ("", *sorted(extras))
            ):
                todo.append((child, name))
    return via, absent


def disagreements(in_text: str, txt_text: str, requires: Requires) -> list[str]:
    """What is wrong between requirements.in and requirements.txt; empty when they agree."""
    roots = direct(in_text)
    pinned = pins(txt_text)
    problems: list[str] = []
    seen: set[str] = set()
    for requirement in roots:
        name = canonicalize_name(requirement.name)
        if name in seen:
            problems.append(f"{requirement.name}: named twice in requirements.in")
        seen.add(name)
        if name not in pinned:
            problems.append(f"{requirement.name}: in requirements.in but not pinned in .txt")
        elif not requirement.specifier.contains(pinned[name], prereleases=True):
            problems.append(
                f"{name}=={pinned[name]}: outside {requirement.specifier} of requirements.in"
            )
    via, absent = needed(roots, requires)
    for name, parent in via.items():
        if name not in pinned and name not in seen:
            problems.append(f"{name}: needed by {parent} but not pinned in requirements.txt")
    for name in sorted(absent & pinned.keys()):
        problems.append(f"{name}: pinned but not installed, its needs unknown (run make)")
    for name in sorted(pinned.keys() - via.keys()):
        problems.append(
            f"{name}=={pinned[name]}: pinned in requirements.txt, but nothing in "
            "requirements.in needs it: name it in requirements.in (saying why) if the "
            "project uses it, else drop the pin"
        )
    return problems


def installed_requires(name: NormalizedName) -> list[str] | None:
    try:
        return importlib.metadata.requires(name) or []
    except importlib.metadata.PackageNotFoundError:
        return None


def test_requirements_in_and_txt_agree() -> None:
    in_text = (ROOT / "requirements.in").read_text(encoding="utf-8")
    txt_text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    problems = disagreements(in_text, txt_text, installed_requires)
    assert not problems, (
        "requirements.in and requirements.txt disagree (recompile: see the top of "
        "requirements.in):\n  " + "\n  ".join(problems)
    )


def test_the_venv_holds_exactly_the_pins() -> None:
    """The walk reads the installed metadata: it is the pins' only if the versions match."""
    pinned = pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    installed = {}
    for name in pinned:
        try:
            installed[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed[name] = "not installed"
    assert installed == pinned, "the venv is not the pins: run make"


# Small inputs: `a` needs `b`, which needs `e`; `c` only for a[fast]; `d` only on an OS
# that does not exist. Pinning a[fast], b, c and e is exactly right.
GRAPH = {
    "a": ["b>=1", 'c; extra == "fast"', 'd; sys_platform == "no-such-os"'],
    "b": ["e"],
    "c": [],
    "d": [],
    "e": [],
}
IN = "# why each is here\nA[fast]  # the one direct dependency\n"
TXT = "# compiled\na==1.0\nb==2.0\n    # via a\nc==3.0\n    # via a\ne==4.0\n    # via b\n"


def graph(name: NormalizedName) -> list[str] | None:
    return GRAPH.get(name)


def test_files_that_agree_pass() -> None:
    assert disagreements(IN, TXT, graph) == []


def test_a_name_added_to_in_but_not_pinned_fails() -> None:
    problems = disagreements(IN + "c  # now direct too\nnew-one\n", TXT, graph)
    assert problems == ["new-one: in requirements.in but not pinned in .txt"]


def test_a_stray_pin_nothing_needs_fails() -> None:
    problems = disagreements(IN, TXT + "d==5.0\n", graph)  # d: only on no-such-os
    assert len(problems) == 1
    assert problems[0].startswith("d==5.0: pinned in requirements.txt, but nothing")


def test_a_dependency_left_unpinned_fails() -> None:
    problems = disagreements(IN, TXT.replace("e==4.0\n", ""), graph)
    assert problems == ["e: needed by b but not pinned in requirements.txt"]


def test_without_the_extra_its_dependency_is_stray() -> None:
    problems = disagreements(IN.replace("[fast]", ""), TXT, graph)
    assert [problem.split(":")[0] for problem in problems] == ["c==3.0"]


def test_a_pin_outside_the_in_range_fails() -> None:
    problems = disagreements(IN.replace("A[fast]", "a[fast]>=2"), TXT, graph)
    assert problems == ["a==1.0: outside >=2 of requirements.in"]


@pytest.mark.parametrize("line", ["a>=1.0", "a==1.*", "a[fast]==1.0", "a==1.0; os_name == 'nt'"])
def test_a_pin_that_is_not_exact_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match="not name==version"):
        pins(line + "\n")
