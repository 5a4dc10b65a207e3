"""Local inputs: files, folders (walked recursively, sorted) and gzip-compressed files."""

from __future__ import annotations

import gzip
import mimetypes
import os
import stat
import zlib
from collections.abc import Iterator

from steppe.collect.options import CollectOptions, human_size, too_big, utc_now
from steppe.model import Failure, RawDocument

# Explicit types for the extensions Steppe cares about: the system mimetypes
# table differs between machines (.rss and .atom are often missing).
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/plain",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".pdf": "application/pdf",
    ".json": "application/json",
}

_CHUNK = 64 * 1024


def guess_type(name: str) -> str | None:
    """Content type from a file name or URL path (``.gz`` looks at the inner name)."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    ext = os.path.splitext(lower)[1]
    if ext in _TYPES:
        return _TYPES[ext]
    return mimetypes.guess_type(lower, strict=False)[0]


def iter_path(path: str, options: CollectOptions) -> Iterator[RawDocument | Failure]:
    """One document per file under ``path`` (a file or a folder), as given by the user."""
    if os.path.isdir(path):
        yield from _walk(path, options)
    else:
        yield _safe_read(path, options)


def _safe_read(path: str, options: CollectOptions) -> RawDocument | Failure:
    # One odd file must not end the walk of its folder.
    try:
        return read_file(path, options)
    except Exception as exc:
        return Failure(path, "collect", f"unexpected error: {type(exc).__name__}: {_one_line(exc)}")


def _walk(folder: str, options: CollectOptions) -> Iterator[RawDocument | Failure]:
    """Files under ``folder`` in sorted path order, hidden files and folders skipped."""
    seen: set[tuple[int, int]] = set()  # (device, inode) of visited folders: symlink loops

    def visit(current: str) -> Iterator[RawDocument | Failure]:
        try:
            st = os.stat(current)
            if (st.st_dev, st.st_ino) in seen:
                return
            seen.add((st.st_dev, st.st_ino))
            names = sorted(os.listdir(current))
        except OSError as exc:
            yield Failure(current, "collect", f"cannot list folder: {_os_reason(exc)}")
            return
        for name in names:
            if name.startswith("."):
                continue
            child = os.path.join(current, name)
            if os.path.isdir(child):
                yield from visit(child)
            else:
                yield _safe_read(child, options)

    yield from visit(folder)


def read_file(path: str, options: CollectOptions) -> RawDocument | Failure:
    """Read one file (decompressing ``.gz``) without ever holding more than ``max_bytes``."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return Failure(path, "collect", _os_reason(exc))
    if not stat.S_ISREG(st.st_mode):
        return Failure(path, "collect", "not a regular file")
    if st.st_size == 0:
        return Failure(path, "collect", "empty file")
    if st.st_size > options.max_bytes:
        return Failure(path, "collect", too_big(st.st_size, options.max_bytes))
    try:
        if path.lower().endswith(".gz"):
            data = _read_gzip(path, options.max_bytes)
        else:
            data = _read_plain(path, options.max_bytes)
    except _TooBig as exc:
        return Failure(path, "collect", str(exc))
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return Failure(path, "collect", f"corrupt or truncated gzip file ({_one_line(exc)})")
    except OSError as exc:
        return Failure(path, "collect", _os_reason(exc))
    if not data:
        return Failure(path, "collect", "empty file" if not path.lower().endswith(".gz")
                       else "empty after decompression")
    return RawDocument(source=path, data=data, content_type=guess_type(path), fetched_at=utc_now())


class _TooBig(Exception):
    pass


def _read_plain(path: str, limit: int) -> bytes:
    # Read one byte past the limit: a file that grew after stat() is still caught.
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _TooBig(f"exceeds size limit (more than {human_size(limit)})")
    return data


def _read_gzip(path: str, limit: int) -> bytes:
    # Decompress in chunks and stop past the limit, so a gzip bomb never fills memory.
    parts: list[bytes] = []
    total = 0
    with gzip.open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise _TooBig(f"exceeds size limit when decompressed (more than {human_size(limit)})")
            parts.append(chunk)
    return b"".join(parts)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return _one_line(exc.strerror or exc)


def _one_line(value: object) -> str:
    return " ".join(str(value).split()) or type(value).__name__
