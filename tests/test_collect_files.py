"""collect over local inputs: folders, .gz, empty/missing/oversized files, URL lists."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from steppe.collect import CollectOptions, iter_documents, read_urls_file
from steppe.model import Failure, RawDocument


def _docs(*inputs: str, **kwargs) -> list[RawDocument | Failure]:
    return list(iter_documents(list(inputs), **kwargs))


def test_folder_is_walked_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b_sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("hidden")
    (root / ".hidden.txt").write_text("hidden")
    (root / "c.txt").write_text("c")
    (root / "a.html").write_text("<p>a</p>")
    (root / "b_sub" / "z.txt").write_text("z")
    (root / "b_sub" / "a.txt").write_text("a2")

    docs = _docs(str(root))
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.source for d in docs] == [
        str(root / "a.html"), str(root / "b_sub" / "a.txt"), str(root / "b_sub" / "z.txt"),
        str(root / "c.txt"),
    ]
    assert [d.content_type for d in docs] == ["text/html", "text/plain", "text/plain", "text/plain"]
    assert docs[0].data == b"<p>a</p>"
    assert docs[0].fetched_at and docs[0].fetched_at.endswith("Z")
    assert docs[0].url is None


def test_source_keeps_the_folder_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    (tmp_path / "shared" / "corpus" / "000_x.txt").write_text("hello")
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    [doc] = _docs("../shared/corpus")
    assert doc.source == "../shared/corpus/000_x.txt"


def test_gz_is_decompressed_and_typed_by_inner_name(tmp_path: Path) -> None:
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(b"<html><body>hi</body></html>"))
    note = tmp_path / "note.txt.gz"
    note.write_bytes(gzip.compress(b"plain text"))
    html, text = _docs(str(page), str(note))
    assert isinstance(html, RawDocument) and html.data == b"<html><body>hi</body></html>"
    assert html.content_type == "text/html"
    assert isinstance(text, RawDocument) and text.content_type == "text/plain"


def test_truncated_gz_is_a_failure(tmp_path: Path) -> None:
    blob = gzip.compress(b"some text " * 1000)
    bad = tmp_path / "cut.txt.gz"
    bad.write_bytes(blob[: len(blob) // 2])
    garbage = tmp_path / "garbage.gz"
    garbage.write_bytes(b"this is not gzip at all")
    docs = _docs(str(bad), str(garbage))
    assert all(isinstance(d, Failure) and d.stage == "collect" for d in docs)
    assert "gzip" in docs[0].reason and "\n" not in docs[0].reason
    assert "gzip" in docs[1].reason


def test_gzip_bomb_stops_at_the_size_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (5 * 1024 * 1024)))  # ~5 KB on disk
    assert bomb.stat().st_size < 64 * 1024
    [doc] = _docs(str(bomb), options=CollectOptions(max_bytes=1024 * 1024))
    assert isinstance(doc, Failure)
    assert "exceeds size limit" in doc.reason


def test_empty_missing_and_oversized_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    missing = tmp_path / "nope.txt"
    docs = _docs(str(empty), str(missing), str(big), options=CollectOptions(max_bytes=1000))
    assert [type(d) for d in docs] == [Failure, Failure, Failure]
    assert docs[0].reason == "empty file"
    assert docs[1].source == str(missing) and "no such file" in docs[1].reason
    assert docs[2].reason == "exceeds size limit (4.9 KB > 1000 bytes)"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file_is_a_failure(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    secret.chmod(0)
    try:
        [doc] = _docs(str(secret))
    finally:
        secret.chmod(0o644)
    assert isinstance(doc, Failure) and doc.reason == "permission denied"


def test_binary_file_passes_collect(tmp_path: Path) -> None:
    blob = tmp_path / "image.bin"
    blob.write_bytes(bytes(range(256)) * 4)
    [doc] = _docs(str(blob))
    assert isinstance(doc, RawDocument) and len(doc.data) == 1024


def test_bad_input_does_not_stop_the_run(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("good")
    docs = _docs(str(tmp_path / "missing"), "ftp://example.org/x", str(good))
    assert [type(d) for d in docs] == [Failure, Failure, RawDocument]


def test_urls_file_lines_comments_and_bad_lines(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# my sources\n\nhttps://example.org/a\n  http://example.org/b  \nnot a url\n")
    got = list(read_urls_file(str(listing)))
    assert got[:2] == ["https://example.org/a", "http://example.org/b"]
    assert isinstance(got[2], Failure) and got[2].source == f"{listing}:5"


def test_missing_urls_file_is_a_failure(tmp_path: Path) -> None:
    docs = _docs(urls_file=str(tmp_path / "none.txt"))
    assert len(docs) == 1 and isinstance(docs[0], Failure)
    assert "URL list" in docs[0].reason


def test_a_plain_file_of_urls_is_a_document_not_a_list(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("https://example.org/a\n")
    [doc] = _docs(str(listing))
    assert isinstance(doc, RawDocument) and doc.data == b"https://example.org/a\n"


def test_local_feed_with_relative_file_links(tmp_path: Path) -> None:
    (tmp_path / "one.html").write_text("<html><body>one</body></html>")
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>One</title><link>one.html</link></item>"
        "<item><title>Missing</title><link>gone.html</link></item>"
        "</channel></rss>"
    )
    docs = _docs(str(tmp_path / "feed.xml"))
    assert isinstance(docs[0], RawDocument) and docs[0].source == str(tmp_path / "one.html")
    assert isinstance(docs[1], Failure) and "no such file" in docs[1].reason


def test_empty_feed_is_a_failure(tmp_path: Path) -> None:
    feed = tmp_path / "empty.rss"
    feed.write_text('<?xml version="1.0"?>\n<!-- c -->\n<rss version="2.0"><channel><title>t</title></channel></rss>')
    [doc] = _docs(str(feed))
    assert isinstance(doc, Failure) and doc.reason == "feed has no entries"


def test_shared_corpus_folder_collects(corpus_dir: Path) -> None:
    docs = _docs(str(corpus_dir))
    assert docs and all(isinstance(d, RawDocument) for d in docs)
    assert [d.source for d in docs] == sorted(d.source for d in docs)
