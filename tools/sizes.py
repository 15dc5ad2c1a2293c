#!/usr/bin/env python3
"""Files over 500 lines and functions over 80 lines in crates/*/src (tests,
`#[cfg(test)]` modules and generated code left out). Exit 1 when any.

    python3 tools/sizes.py [--all]
"""
import pathlib
import re
import sys

FILE_LIMIT, FN_LIMIT = 500, 80
FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def body_lines(lines):
    """The file's lines up to its `#[cfg(test)]` module."""
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("mod "):
            return lines[:i]
    return lines


def functions(path, lines):
    for i, line in enumerate(lines):
        m = FN.match(line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j].startswith(indent + "}") and not lines[j].startswith(indent + "}" + " "):
                yield m.group(7), i + 1, j - i + 1
                break
            if lines[j].rstrip() == indent + "}" or lines[j].startswith(indent + "})"):
                yield m.group(7), i + 1, j - i + 1
                break


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    big_files, long_fns = [], []
    for path in sorted(root.glob("crates/*/src/**/*.rs")):
        lines = path.read_text().splitlines()
        rel = path.relative_to(root)
        code = body_lines(lines)
        if len(code) > FILE_LIMIT:
            big_files.append((len(code), rel))
        for name, start, length in functions(rel, code):
            if length > FN_LIMIT:
                long_fns.append((length, f"{rel}:{start} {name}"))
    for n, rel in sorted(big_files, reverse=True):
        print(f"file {n:5} {rel}")
    for n, where in sorted(long_fns, reverse=True):
        print(f"fn   {n:5} {where}")
    print(f"{len(big_files)} files over {FILE_LIMIT} lines, {len(long_fns)} functions over {FN_LIMIT} lines")
    return 1 if big_files or long_fns else 0


if __name__ == "__main__":
    sys.exit(main())
