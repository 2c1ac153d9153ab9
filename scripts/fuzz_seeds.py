#!/usr/bin/env python3
"""Write the fuzz targets' small seed corpora to fuzz/seeds/<target>/ (committed; re-run to
regenerate). Texts are cut from fixtures/ so every seed stays under a few KB."""

import gzip
import json
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
FIXTURES = sorted((ROOT / "fixtures").glob("*.txt"))


def put(target, name, data):
    path = SEEDS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def fixture(i, limit=1500):
    text = FIXTURES[i].read_text(encoding="utf-8")
    return text[:limit]


def warc_record(fields, block):
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields)
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def zstd(data):
    # The zstd CLI when present; otherwise this seed is skipped.
    if shutil.which("zstd") is None:
        return None
    return subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=True).stdout


def main():
    shutil.rmtree(SEEDS, ignore_errors=True)
    texts = [fixture(0), fixture(3)]
    small = [
        "Titre\r\n\r\n  Corps du texte.  \r\nSuite\rfin",
        "e\u0301te\u0301 \u00ab\u00a0en pointe\u00a0\u00bb \ufb01n\u2026 \u200bx\u200e",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\n\n\u2022 item one\n1. item two\n",
        "The committee met on Tuesday to discuss the budget for the\n"
        "coming year, and members agreed that spending on roads and\n"
        "schools would rise.\n\nPublicit\u00e9\nLeave a Reply\n",
    ]
    for target in ["segment", "normalize", "pipeline"]:
        for i, t in enumerate(texts + small):
            put(target, f"{i}.txt", t)

    put("read_text", "utf8.txt", texts[0])
    put("read_text", "bom.txt", "\ufeff" + small[1])
    put("read_text", "latin1.txt", "Le c\u00e9l\u00e8bre caf\u00e9 de l'\u00e9t\u00e9.\n".encode("latin-1"))
    put("read_text", "utf16.txt", "\ufeffBonjour \u00e0 tous.\n".encode("utf-16-le"))
    put("read_text", "cp1252.txt", "\u201cQuotes\u201d \u2014 and \u20ac 5.\n".encode("cp1252"))

    lines = [
        json.dumps({"id": "a", "text": texts[0][:400], "url": "https://x.fr/"}, ensure_ascii=False),
        json.dumps({"id": 7, "text": small[1], "meta": {"k": [1, 2]}}),
        '{"text": 12}',
        "not json",
        "",
        '{"id": "b", "text": "Ligne\\nsuivante\\u00e9"}',
    ]
    jsonl = "\n".join(lines) + "\n"
    put("read_jsonl", "records.jsonl", jsonl)
    put("read_jsonl", "crlf.jsonl", jsonl.replace("\n", "\r\n"))

    csv = (
        'id,text,url\r\n'
        f'a,"{texts[0][:300].replace(chr(34), chr(34) * 2)}",https://x.fr/\r\n'
        'b,"Deux lignes\nde texte, avec ""guillemets""",\r\n'
        'c,short\r\n'
    )
    put("read_csv", "records.csv", csv)
    put("read_csv", "no_text_column.csv", "id,body\n1,hello\n")

    wet = (
        warc_record([("WARC-Type", "warcinfo")], b"software: seed\r\n")
        + warc_record(
            [
                ("WARC-Type", "conversion"),
                ("WARC-Target-URI", "https://ville.fr/budget"),
                ("WARC-Record-ID", "<urn:uuid:fr-1>"),
                ("WARC-Identified-Content-Language", "fra"),
                ("Content-Type", "text/plain"),
            ],
            texts[1][:500].encode(),
        )
    )
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nCaf\xe9 cr\xe8me.\n"
    warc = warc_record(
        [("WARC-Type", "response"), ("WARC-Target-URI", "https://x.org/"),
         ("Content-Type", "application/http; msgtype=response")],
        http,
    )
    put("read_warc", "wet.warc", wet)
    put("read_warc", "response.warc", warc)

    put("read_compressed", "jsonl.gz", gzip.compress(jsonl.encode(), mtime=0))
    put("read_compressed", "members.warc.gz",
        gzip.compress(wet[: len(wet) // 2], mtime=0) + gzip.compress(wet[len(wet) // 2 :], mtime=0))
    put("read_compressed", "text.gz", gzip.compress(texts[1].encode(), mtime=0))
    z = zstd(wet)
    if z is not None:
        put("read_compressed", "wet.zst", z)


if __name__ == "__main__":
    main()
