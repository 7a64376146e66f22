"""MkDocs hook: Material's templates compiled once, not on every build.

MkDocs makes a new Jinja environment for each build, and `make serve` makes one for each
rebuild, so the 40 templates that make a page here were compiled to Python again every
time (about 0.4 s of a build). Jinja's own bytecode cache keeps them in
.cache/jinja-<version>/; a template whose source has changed (a Material upgrade, an
override) is compiled again, as Jinja checks each source against its cached checksum.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    # Jinja's cache checks Python's version, not its own: a Jinja upgrade gets a new folder.
    folder = Path(config.config_file_path).parent / ".cache" / f"jinja-{jinja2.__version__}"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
