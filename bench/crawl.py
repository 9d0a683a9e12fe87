"""Crawl benchmark: our crawler against Scrapy on a generated eKIC site, plus recrawls.

Not a test. ``.venv/bin/python -m bench.crawl [--pages 5000] [--processes 2]`` serves a
generated eKIC site (no politeness delay) on 127.0.0.1 from this process and runs every
client in a process of its own (bench/crawl_child.py, bench/crawl_scrapy.py), so each
one's CPU time is its own. Same site, same profile, same concurrency (4), same
extraction (``crawler.extract.extract_page``) everywhere:

1. ours, extraction in-process (no extra processes) — the same-CPU comparison;
2. Scrapy, in its single process;
3. ours with ``--processes`` extraction workers (the pool comparison), fresh store;
4. an unchanged recrawl with the sitemap (lastmod skips) and one without it (every
   known page a conditional GET answering 304), and the floor for the latter: a bare
   ``requests`` loop over the same stored validators against the same server (and, for
   information, the same loop on bare urllib3);
5. a recrawl after 10 % of the pages were edited.

Writes bench/results/crawl.json (with the load average before and after) and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from core.settings import REPO_ROOT
from demo import RunningSite, build_ekic, serve

RESULTS = REPO_ROOT / "bench" / "results" / "crawl.json"
CONCURRENCY = 4


def _child(script: str, *args: object) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        target = Path(out.name)
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    command = [sys.executable, "-m", script, *map(str, args), str(target)]
    subprocess.run(command, check=True, env=env, cwd=REPO_ROOT)
    figures = dict(json.loads(target.read_text(encoding="utf-8")))
    target.unlink()
    return figures


def _ours(base: str, store: Path, processes: int, *, sitemap: bool = True) -> dict[str, Any]:
    return _child("bench.crawl_child", "ours", base, store, processes, int(sitemap))


def _scrapy(base: str) -> dict[str, Any]:
    return _child("bench.crawl_scrapy", base, CONCURRENCY)


def _edit_tenth(running: RunningSite) -> None:
    paths = running.site.page_urls()
    for path in paths[::10]:
        running.site.edit_page(path, f"Bijgewerkte tekst voor {path}.\n\nMet een tweede alinea.")


def _rate(run: dict[str, Any], key: str = "seconds") -> float:
    return float(run["pages"]) / float(run[key])


def run(pages: int, processes: int) -> dict[str, Any]:
    load_before = os.getloadavg()
    site = build_ekic(pages=pages, crawl_delay=None)
    with serve(site, politeness=False) as running, tempfile.TemporaryDirectory() as tmp:
        base = running.base_url
        store, pool_store = Path(tmp) / "inproc.db", Path(tmp) / "pool.db"
        single = _ours(base, store, 0)
        print(f"ours in-process: {single['pages']} pages in {single['seconds']:.1f}s", flush=True)
        scrapy = _scrapy(base)
        print(f"scrapy: {scrapy['pages']} pages in {scrapy['seconds']:.1f}s", flush=True)
        pool = _ours(base, pool_store, processes)
        print(f"ours with {processes} processes: {pool['seconds']:.1f}s", flush=True)
        same = _ours(base, store, 0)
        cond = _ours(base, store, 0, sitemap=False)
        floor = _child("bench.crawl_child", "floor", base, store)
        bare = _child("bench.crawl_child", "floor_urllib3", base, store)
        print(f"conditional: {cond['not_modified']} x 304 in {cond['seconds']:.2f}s, "
              f"floor {floor['seconds']:.2f}s (urllib3 {bare['seconds']:.2f}s)", flush=True)  # fmt: skip
        _edit_tenth(running)
        tenth = _ours(base, store, 0)
    load_after = os.getloadavg()
    full_s = single["seconds"]
    return {
        "pages": single["pages"],
        "site_entries": pages,
        "concurrency": CONCURRENCY,
        "processes": processes,
        "same_cpu_ratio_vs_scrapy": round(_rate(single) / _rate(scrapy), 3),
        "pool_ratio_vs_scrapy": round(_rate(pool) / _rate(scrapy), 3),
        "ours_pages_per_s": round(_rate(single), 1),
        "ours_pool_pages_per_s": round(_rate(pool), 1),
        "scrapy_pages_per_s": round(_rate(scrapy), 1),
        "ours_pages_per_cpu_s": round(_rate(single, "cpu_seconds"), 1),
        "ours_pool_pages_per_cpu_s": round(_rate(pool, "cpu_seconds"), 1),
        "scrapy_pages_per_cpu_s": round(_rate(scrapy, "cpu_seconds"), 1),
        "scrapy_pages": scrapy["pages"],
        "recrawl_unchanged_ratio": round(same["seconds"] / full_s, 4),
        "recrawl_unchanged_written": same["written"],
        "recrawl_conditional_ratio": round(cond["seconds"] / full_s, 4),
        "recrawl_conditional_written": cond["written"],
        "recrawl_conditional_not_modified": cond["not_modified"],
        "recrawl_conditional_vs_floor": round(cond["seconds"] / floor["seconds"], 3),
        "floor_requests": floor["requests"],
        "floor_seconds": round(floor["seconds"], 3),
        # For information (not the goal): the same loop on bare urllib3, which our page
        # requests use since issue #9's last round.
        "floor_urllib3_seconds": round(bare["seconds"], 3),
        "recrawl_conditional_vs_urllib3_floor": round(cond["seconds"] / bare["seconds"], 3),
        "recrawl_10pct_ratio": round(tenth["seconds"] / full_s, 4),
        "recrawl_10pct_changed": tenth["changed"],
        "documents_written_unchanged": same["written"] + cond["written"],
        "seconds": {
            "ours_full": round(full_s, 2),
            "ours_pool_full": round(pool["seconds"], 2),
            "scrapy_full": round(scrapy["seconds"], 2),
            "recrawl_unchanged": round(same["seconds"], 3),
            "recrawl_conditional": round(cond["seconds"], 3),
            "recrawl_10pct": round(tenth["seconds"], 3),
        },
        "cpu_seconds": {
            "ours_full": round(single["cpu_seconds"], 2),
            "ours_pool_full": round(pool["cpu_seconds"], 2),
            "scrapy_full": round(scrapy["cpu_seconds"], 2),
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    figures = run(args.pages, args.processes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
