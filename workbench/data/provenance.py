"""Provenance text of each raw file, taken from the raw folder's README.md."""
from __future__ import annotations

import re
from pathlib import Path

from workbench.data.errors import RawDataError


def provenance_texts(readme: Path, files: list[str]) -> dict[str, str]:
    """Relative raw path -> the README passage about that file (its section, or its table row
    plus the section's `Source:` paragraph)."""
    if not readme.is_file():
        raise RawDataError(readme, None, str(readme), "raw folder has no README.md with the files' provenance")
    sections = re.split(r"\n(?=###? )", readme.read_text(encoding="utf-8"))
    texts = {}
    for relative in files:
        name = Path(relative).name
        for section in sections:
            heading, _, body = section.partition("\n")
            if f"`{name}`" in heading:
                texts[relative] = _squash(section)
                break
            row = next((line for line in body.splitlines() if line.startswith(f"| `{name}`")), None)
            if row:
                source = re.search(r"^Source:.*?(?=\n\n|\Z)", body, flags=re.S | re.M)
                texts[relative] = _squash(row + ("\n" + source.group(0) if source else ""))
                break
        else:
            texts[relative] = ""
    return texts


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lstrip("#").strip())
