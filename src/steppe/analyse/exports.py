"""Exports: items, events, actors and mentions as JSONL, CSV or Parquet; events as PLOVER
JSON; the actor network as GraphML or GEXF (for Gephi).

``export(store, what="events", fmt="parquet", out="events.parquet")`` writes
and returns the number of records. Every table has one flat schema
(:data:`SCHEMAS`) used by all three tabular formats, and :func:`read_export`
reads a file back into the same rows that :func:`rows` takes from the store,
so a round trip can be checked. In CSV, lists and objects are JSON text and
an empty cell is null (CSV cannot tell "" from nothing).

PLOVER JSON follows the field names of the PLOVER README and its gold-standard
records (``id, date, source[{actorText, code, sector}], target, event, mode,
text, eventLoc{name}, language, publication, coder, version, dateCoded``);
Steppe's extra fields (``quad, intensity, confidence, itemId, url, ...``) are
added beside them, as PLOVER allows for extensions.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from steppe.analyse.common import InvalidParameter, actor_label, kb_actor

# name -> type: str | int | float | bool | list (of strings) | json (any JSON value)
SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "items": [("id", "str"), ("kind", "str"), ("title", "str"), ("text", "str"),
              ("published", "str"), ("published_precision", "str"), ("date_raw", "str"),
              ("publisher", "str"), ("url", "str"), ("provenance", "json")],
    "events": [("id", "str"), ("item_id", "str"), ("type", "str"), ("quad", "str"),
               ("intensity", "float"), ("mode", "str"), ("date", "str"), ("date_precision", "str"),
               ("date_raw", "str"), ("place", "str"), ("confidence", "float"), ("negated", "bool"),
               ("hypothetical", "bool"), ("reported", "str"), ("source_actors", "list"),
               ("source_countries", "list"), ("source_text", "str"), ("target_actors", "list"),
               ("target_countries", "list"), ("target_text", "str"), ("evidence", "str"),
               ("evidence_start", "int"), ("evidence_end", "int")],
    "mentions": [("item_id", "str"), ("start", "int"), ("end", "int"), ("text", "str"),
                 ("label", "str"), ("actor", "str"), ("score", "float"), ("country", "str"),
                 ("role", "str")],
    "actors": [("id", "str"), ("name", "str"), ("type", "str"), ("country", "str"),
               ("mentions", "int"), ("items", "int"), ("events_as_source", "int"),
               ("events_as_target", "int")],
}
TABULAR = ("jsonl", "csv", "parquet")
FORMATS: dict[str, tuple[str, ...]] = {
    "items": TABULAR, "mentions": TABULAR, "actors": TABULAR,
    "events": (*TABULAR, "plover"), "network": ("graphml", "gexf", "json"),
}


# ---------------------------------------------------------------- rows from the store


def rows(store: Any, what: str) -> Iterator[dict[str, Any]]:
    """The canonical rows of one table, in a stable order."""
    if what == "items":
        for item in store.iter_items():
            row = {name: getattr(item, name) for name, _ in SCHEMAS["items"] if name != "provenance"}
            row["provenance"] = [{"page": p.page, "start": p.start, "end": p.end} for p in item.provenance]
            yield row
    elif what == "events":
        for event in store.events():
            yield _flat_event(event.to_dict())
    elif what == "mentions":
        for r in store.query('SELECT item_id, start, "end", text, label, actor, score, country, role'
                             ' FROM mentions ORDER BY item_id, start, "end"'):
            yield dict(r)
    elif what == "actors":
        yield from _actor_rows(store)
    else:
        raise InvalidParameter(f"what must be one of {', '.join(FORMATS)}, not {what!r}")


def _flat_event(record: dict[str, Any]) -> dict[str, Any]:
    out = {name: record.get(name) for name, _ in SCHEMAS["events"] if name in record}
    for side in ("source", "target"):
        s = record.get(side) or {}
        out[f"{side}_actors"] = list(s.get("actors") or [])
        out[f"{side}_countries"] = [c for c in (s.get("countries") or []) if c is not None]
        out[f"{side}_text"] = s.get("text") if record.get(side) else None
    out["negated"], out["hypothetical"] = bool(record.get("negated")), bool(record.get("hypothetical"))
    return {name: out.get(name) for name, _ in SCHEMAS["events"]}


def _actor_rows(store: Any) -> Iterator[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}

    def row(actor_id: str) -> dict[str, Any]:
        return counts.setdefault(actor_id, {"id": actor_id, "country": None, "mentions": 0, "items": 0,
                                            "events_as_source": 0, "events_as_target": 0})

    for r in store.query("SELECT actor, max(country) AS country, count(*) AS n,"
                         " count(DISTINCT item_id) AS items FROM mentions WHERE actor IS NOT NULL"
                         " GROUP BY actor"):
        a = row(r["actor"])
        a.update(country=r["country"], mentions=r["n"], items=r["items"])
    for r in store.query("SELECT actor, side, max(country) AS country, count(DISTINCT event_id) AS n"
                         " FROM event_actors GROUP BY actor, side"):
        a = row(r["actor"])
        a["country"] = a["country"] or r["country"]
        a["events_as_source" if r["side"] == "source" else "events_as_target"] += r["n"]
    for actor_id in sorted(counts):
        a = counts[actor_id]
        kb = kb_actor(actor_id)
        yield {"id": actor_id, "name": actor_label(actor_id),
               "type": getattr(kb, "type", None), "country": getattr(kb, "country", None) or a["country"],
               **{k: a[k] for k in ("mentions", "items", "events_as_source", "events_as_target")}}


# ---------------------------------------------------------------- writing


def export(store: Any, what: str, fmt: str, out: str | Path | None = None) -> int:
    """Write one table (or the network) to ``out`` (a path; None or "-" is standard output)."""
    if what not in FORMATS:
        raise InvalidParameter(f"what must be one of {', '.join(FORMATS)}, not {what!r}")
    if fmt not in FORMATS[what]:
        raise InvalidParameter(f"{what} can be exported as {', '.join(FORMATS[what])}, not {fmt!r}")
    to_stdout = out is None or str(out) == "-"
    if fmt == "parquet":
        if to_stdout:
            raise InvalidParameter("parquet is binary: give --out FILE")
        return write_parquet(list(rows(store, what)), what, Path(out))  # type: ignore[arg-type]
    stream = sys.stdout if to_stdout else open(out, "w", encoding="utf-8", newline="")  # type: ignore[arg-type]  # noqa: SIM115
    try:
        if what == "network":
            return _write_network(store, fmt, stream)
        if fmt == "plover":
            records = [to_plover(r) for r in _events_with_items(store)]
            json.dump(records, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
            return len(records)
        if fmt == "jsonl":
            return write_jsonl(rows(store, what), stream)
        return write_csv(rows(store, what), what, stream)
    finally:
        if not to_stdout:
            stream.close()


def write_jsonl(records: Any, stream: Any) -> int:
    n = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Any, what: str, stream: Any) -> int:
    schema = SCHEMAS[what]
    writer = csv.writer(stream)
    writer.writerow([name for name, _ in schema])
    n = 0
    for record in records:
        writer.writerow([_csv_cell(record.get(name), kind) for name, kind in schema])
        n += 1
    return n


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("list", "json"):
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
            "list": pa.list_(pa.string()), "json": pa.string()}[kind]


def write_parquet(records: list[dict[str, Any]], what: str, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = SCHEMAS[what]
    columns = {}
    for name, kind in schema:
        values = [r.get(name) for r in records]
        if kind == "json":
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        elif kind == "float":
            values = [None if v is None else float(v) for v in values]
        columns[name] = pa.array(values, type=_arrow_type(kind))
    table = pa.table(columns, schema=pa.schema([(n, _arrow_type(k)) for n, k in schema]))
    pq.write_table(table, path)
    return len(records)


# ---------------------------------------------------------------- reading back


def read_export(path: str | Path, what: str, fmt: str) -> list[dict[str, Any]]:
    """Read a tabular export back into canonical rows (as :func:`rows` yields them)."""
    path = Path(path)
    schema = dict(SCHEMAS[what])
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        out = pq.read_table(path).to_pylist()
        for row in out:
            for name, kind in schema.items():
                if kind == "json" and row.get(name) is not None:
                    row[name] = json.loads(row[name])
        return out
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as f:
            return [{name: _from_cell(row[name], schema[name]) for name in row}
                    for row in csv.DictReader(f)]
    raise InvalidParameter(f"cannot read back {fmt!r}")


def _from_cell(cell: str, kind: str) -> Any:
    if cell == "":
        return None
    if kind in ("list", "json"):
        return json.loads(cell)
    if kind == "int":
        return int(cell)
    if kind == "float":
        return float(cell)
    if kind == "bool":
        return cell == "true"
    return cell


# ---------------------------------------------------------------- PLOVER


def _events_with_items(store: Any) -> Iterator[dict[str, Any]]:
    items = {r["id"]: r for r in store.query("SELECT id, publisher, url, published, title FROM items"
                                             " WHERE id IN (SELECT item_id FROM events)")}
    for event in store.events():
        yield {**event.to_dict(), "_item": items.get(event.item_id, {})}


def _plover_actors(side: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not side:
        return []
    actors = side.get("actors") or []
    countries = list(side.get("countries") or []) + [None] * len(actors)
    out = []
    for actor_id, country in zip(actors, countries, strict=False):
        code, _, sector = actor_id.partition(".")
        entry: dict[str, Any] = {"actorText": side.get("text") or "", "code": country or actor_id,
                                 "actorId": actor_id}
        if sector.isupper():  # "RUS.GOV": PLOVER's code + sector
            entry["code"], entry["sector"] = code, sector
        out.append(entry)
    return out


def to_plover(record: dict[str, Any]) -> dict[str, Any]:
    """One Steppe event as a PLOVER JSON record (standard fields first, Steppe's after)."""
    item = record.get("_item") or {}
    out: dict[str, Any] = {
        "id": record.get("id"),
        "date": record.get("date") or item.get("published"),
        "source": _plover_actors(record.get("source")),
        "target": _plover_actors(record.get("target")),
        "event": record.get("type"),
        "mode": record.get("mode"),
        "text": record.get("evidence"),
        "language": "en",
        "publication": item.get("publisher"),
        "coder": "Steppe",
        "version": "PLOVER 0.5",
        "dateCoded": datetime.now(UTC).date().isoformat(),
    }
    if record.get("place"):
        out["eventLoc"] = {"name": record["place"]}
    if not out["target"]:
        del out["target"]  # the target is optional in PLOVER
    if out["mode"] is None:
        del out["mode"]
    out.update({
        "datePrecision": record.get("date_precision") if record.get("date")
        else (None if not item.get("published") else "item"),
        "quad": record.get("quad"), "intensity": record.get("intensity"),
        "confidence": record.get("confidence"), "negated": bool(record.get("negated")),
        "hypothetical": bool(record.get("hypothetical")), "reported": record.get("reported"),
        "itemId": record.get("item_id"), "url": item.get("url"), "title": item.get("title"),
        "evidenceStart": record.get("evidence_start"), "evidenceEnd": record.get("evidence_end"),
    })
    return out


# ---------------------------------------------------------------- network


def network_data(store: Any) -> dict[str, Any]:
    from steppe.analyse.network import network

    return network(store, max_nodes=100_000)


def _write_network(store: Any, fmt: str, stream: Any) -> int:
    data = network_data(store)
    if fmt == "json":
        json.dump(data, stream, ensure_ascii=False, indent=1)
    else:
        stream.write(to_graphml(data) if fmt == "graphml" else to_gexf(data))
    return len(data["nodes"])


_NODE_ATTRS = [("label", "string"), ("type", "string"), ("country", "string"), ("count", "int"),
               ("mentions", "int")]
_EDGE_ATTRS = [("kind", "string"), ("weight", "double"), ("intensity", "double"),
               ("verbal_cooperation", "int"), ("material_cooperation", "int"),
               ("verbal_conflict", "int"), ("material_conflict", "int")]
GRAPHML = "http://graphml.graphdrawing.org/xmlns"
GEXF = "http://gexf.net/1.3"


def _xml(root: ET.Element) -> str:
    buf = io.StringIO()
    ET.ElementTree(root).write(buf, encoding="unicode", xml_declaration=True)
    return buf.getvalue() + "\n"


def to_graphml(data: dict[str, Any]) -> str:
    """GraphML: co-mention edges undirected, event edges directed (source acts on target)."""
    ET.register_namespace("", GRAPHML)
    root = ET.Element(f"{{{GRAPHML}}}graphml")
    for scope, attrs in (("node", _NODE_ATTRS), ("edge", _EDGE_ATTRS)):
        for name, kind in attrs:
            ET.SubElement(root, f"{{{GRAPHML}}}key", {"id": f"{scope[0]}_{name}", "for": scope,
                                                     "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{GRAPHML}}}graph", {"id": "steppe", "edgedefault": "directed"})
    for node in data["nodes"]:
        el = ET.SubElement(graph, f"{{{GRAPHML}}}node", {"id": node["id"]})
        for name, _ in _NODE_ATTRS:
            if node.get(name) is not None:
                ET.SubElement(el, f"{{{GRAPHML}}}data", {"key": f"n_{name}"}).text = str(node[name])
    for i, edge in enumerate(data["edges"]):
        el = ET.SubElement(graph, f"{{{GRAPHML}}}edge", {
            "id": f"e{i}", "source": edge["source"], "target": edge["target"],
            "directed": "true" if edge.get("kind") == "event" else "false"})
        for name, _ in _EDGE_ATTRS:
            if edge.get(name) is not None:
                ET.SubElement(el, f"{{{GRAPHML}}}data", {"key": f"e_{name}"}).text = str(edge[name])
    return _xml(root)


def to_gexf(data: dict[str, Any]) -> str:
    """GEXF 1.3 (Gephi's own format), same attributes as the GraphML."""
    ET.register_namespace("", GEXF)
    root = ET.Element(f"{{{GEXF}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF}}}meta", {"lastmodifieddate": datetime.now(UTC).date().isoformat()})
    ET.SubElement(meta, f"{{{GEXF}}}creator").text = "Steppe"
    graph = ET.SubElement(root, f"{{{GEXF}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    for cls, attrs in (("node", _NODE_ATTRS[1:]), ("edge", _EDGE_ATTRS)):
        block = ET.SubElement(graph, f"{{{GEXF}}}attributes", {"class": cls})
        for name, kind in attrs:
            if name == "weight":
                continue  # GEXF has its own weight attribute on edges
            ET.SubElement(block, f"{{{GEXF}}}attribute", {"id": name, "title": name,
                                                          "type": "integer" if kind == "int" else kind})
    nodes = ET.SubElement(graph, f"{{{GEXF}}}nodes")
    for node in data["nodes"]:
        el = ET.SubElement(nodes, f"{{{GEXF}}}node", {"id": node["id"], "label": node.get("label") or node["id"]})
        _gexf_values(el, node, _NODE_ATTRS[1:])
    edges = ET.SubElement(graph, f"{{{GEXF}}}edges")
    for i, edge in enumerate(data["edges"]):
        el = ET.SubElement(edges, f"{{{GEXF}}}edge", {
            "id": f"e{i}", "source": edge["source"], "target": edge["target"],
            "weight": str(edge.get("weight", 1)),
            "type": "directed" if edge.get("kind") == "event" else "undirected"})
        _gexf_values(el, edge, [a for a in _EDGE_ATTRS if a[0] != "weight"])
    return _xml(root)


def _gexf_values(el: ET.Element, record: dict[str, Any], attrs: list[tuple[str, str]]) -> None:
    values = ET.SubElement(el, f"{{{GEXF}}}attvalues")
    for name, _ in attrs:
        if record.get(name) is not None:
            ET.SubElement(values, f"{{{GEXF}}}attvalue", {"for": name, "value": str(record[name])})
