"""MkDocs hook: Material's templates compiled once, not on every build.

MkDocs makes a new Jinja environment for each build, and `make serve` makes one for each
rebuild, so the ~130 templates of a page were compiled to Python again every time (about
a second of a build here). Jinja's own bytecode cache keeps them in .cache/jinja/; a template
whose source has changed (a Material upgrade, an override) is compiled again, as Jinja
checks each source against its cached checksum.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
