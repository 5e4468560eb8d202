"""The error raised for raw input the data layer cannot read."""
from __future__ import annotations

from pathlib import Path


class RawDataError(ValueError):
    """A raw file that does not have the expected layout or content.

    The message always names the file, the line (1 = header) and the offending value, so that
    the user can open the file at that spot.
    """

    def __init__(self, path: Path | str, line: int | None, value: object, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.value = value
        where = f"{self.path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {problem}: {value!r}")
