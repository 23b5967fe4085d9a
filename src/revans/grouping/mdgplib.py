"""Read MDGPLIB instance files (Gallego et al. 2013), plain or gzipped.

line 1:  n m type a_1 b_1 ... a_m b_m      type ss or ds
then n(n-1)/2 lines:  i j d_ij              0 <= i < j < n, every pair once
"""

import gzip
from pathlib import Path

import numpy as np

from .problem import Problem


def read(path: str | Path) -> Problem:
    """Read an MDGPLIB file (``.txt`` or ``.txt.gz``) into a Problem with no rules.

    Raises ValueError naming the file and line when the file is truncated or malformed."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="ascii") as source:
            text = source.read()
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise ValueError(f"{path.name}: cannot read the file ({error})") from error
    return parse(text, path.name)


def parse(text: str, name: str = "instance") -> Problem:
    """Parse the text of an MDGPLIB file; ``name`` is used in error messages."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(f"{name}: line 1: empty file, expected 'n m type a_1 b_1 ...'")
    head = lines[0].split()

    def fail(line: int, message: str) -> ValueError:
        return ValueError(f"{name}: line {line}: {message}")

    try:
        n, m = int(head[0]), int(head[1])
    except (IndexError, ValueError):
        raise fail(1, f"expected 'n m type a_1 b_1 ...', got {lines[0].strip()!r}") from None
    if n < 1 or m < 1:
        raise fail(1, f"n and m must be positive, got n={n} m={m}")
    if len(head) < 3 or head[2] not in ("ss", "ds"):
        raise fail(1, f"expected type 'ss' or 'ds' after n and m, got {lines[0].strip()!r}")
    if len(head) != 3 + 2 * m:
        raise fail(1, f"expected {2 * m} group bounds for m={m}, got {len(head) - 3}")
    try:
        numbers = [int(v) for v in head[3:]]
    except ValueError:
        raise fail(1, "group bounds must be whole numbers") from None
    bounds = list(zip(numbers[::2], numbers[1::2], strict=True))

    d = np.zeros((n, n))
    seen = np.zeros((n, n), dtype=bool)
    expected = n * (n - 1) // 2
    count = 0
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 3:
            raise fail(number, f"expected 'i j d', got {line.strip()!r}")
        try:
            i, j, value = int(fields[0]), int(fields[1]), float(fields[2])
        except ValueError:
            raise fail(
                number, f"expected two item numbers and a number, got {line.strip()!r}"
            ) from None
        if not (0 <= i < n and 0 <= j < n) or i == j:
            raise fail(number, f"items {i} and {j} are not two items of 0..{n - 1}")
        if not np.isfinite(value):
            raise fail(number, f"diversity {fields[2]!r} is not a finite number")
        if seen[i, j]:
            raise fail(number, f"the pair {i} {j} appears twice")
        seen[i, j] = seen[j, i] = True
        d[i, j] = d[j, i] = value
        count += 1
    if count != expected:
        raise fail(
            len(lines),
            f"truncated: {count} of the {expected} pair lines for n={n} (file ends here)",
        )
    return Problem(d, bounds, name=name.removesuffix(".gz").removesuffix(".txt"))
