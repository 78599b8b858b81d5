"""Training and evaluation data: rows read from JSONL or Parquet.

A row is a mapping with
    prompt        a string, or chat messages [{"role", "content"}]
    reference     what Arbiter compares the completion with (any JSON value the verifier takes)
    images        optional list of image paths, relative to the data file's folder (or absolute)
    data_source   optional; without --spec the server's `routes` pick each row's spec by it

The same command trains the arithmetic demo (`task_arithmetic.py --write DIR` writes it as JSONL), a
MathVista-style multimodal set or a grounding set: only the data file and the spec change.
"""

import json
import os


def read_rows(path):
    """Rows of a .jsonl or .parquet file, checked, with image paths made absolute."""
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq  # only when a Parquet file is given

        raw = pq.read_table(path).to_pylist()
    else:
        with open(path, encoding="utf-8") as f:
            raw = [json.loads(line) for line in f if line.strip()]
    base = os.path.dirname(os.path.abspath(path))
    rows = []
    for n, row in enumerate(raw, 1):
        if not isinstance(row, dict) or "prompt" not in row or "reference" not in row:
            raise ValueError(f"{path}: row {n} needs at least `prompt` and `reference`")
        images = row.get("images") or []
        if not isinstance(images, list) or not all(isinstance(p, str) for p in images):
            raise ValueError(f"{path}: row {n}: `images` must be a list of paths")
        rows.append({"prompt": row["prompt"], "reference": row["reference"], "data_source": row.get("data_source"),
                     "images": [os.path.join(base, p) for p in images]})
    if not rows:
        raise ValueError(f"{path} holds no rows")
    return rows


def write_jsonl(path, rows):
    """Writes rows as JSONL (image paths as given: relative to the file's folder)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
