"""Materialized paths: pure functions, no database."""

PATH_STEP = 4
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_BASE = len(PATH_ALPHABET)
MAX_CHILDREN = _BASE**PATH_STEP


def encode_step(index: int) -> str:
    """The PATH_STEP-character base-36 step for a 1-based child number."""
    if not 1 <= index < MAX_CHILDREN:
        raise ValueError(f"child number {index} out of range")
    chars = []
    for _ in range(PATH_STEP):
        index, digit = divmod(index, _BASE)
        chars.append(PATH_ALPHABET[digit])
    return "".join(reversed(chars))


def decode_step(step: str) -> int:
    value = 0
    for char in step:
        value = value * _BASE + PATH_ALPHABET.index(char)
    return value


def child_path(parent_path: str, index: int) -> str:
    return parent_path + encode_step(index)


def next_child_path(parent_path: str, last_child_path: str | None) -> str:
    """The path after the parent's last child (or its first child's path)."""
    last = decode_step(last_child_path[-PATH_STEP:]) if last_child_path else 0
    return child_path(parent_path, last + 1)


def subtree_bounds(path: str) -> tuple[str, str | None]:
    """[low, high) holding exactly `path` and its descendants, for an indexed range scan.

    PostgreSQL uses a plain btree for `path >= low AND path < high` under any
    collation, where `LIKE 'prefix%'` needs the C collation or a pattern index
    and loses the index order that paginated lists rely on. `high` is the
    next path of the same length; None when `path` is the last one possible.
    """
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        position = PATH_ALPHABET.index(chars[i])
        if position + 1 < _BASE:
            chars[i] = PATH_ALPHABET[position + 1]
            return path, "".join(chars[: i + 1])
        chars[i] = PATH_ALPHABET[0]
    return path, None


def ancestor_paths(path: str) -> list[str]:
    """Proper ancestors' paths, root first."""
    return [path[:i] for i in range(PATH_STEP, len(path), PATH_STEP)]
