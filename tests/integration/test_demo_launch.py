"""``python -m demo --sites-only`` and ``make run`` start the same three demo sites."""

from __future__ import annotations

import socket

import pytest
import requests

from demo.launch import start_sites
from tests.conftest import free_port


def test_the_three_sites_answer_with_their_own_robots_txt() -> None:
    ports = (free_port(), free_port(), free_port())
    sites = start_sites(ports, pages=20, crawl_delay=None)
    try:
        names = [site.site.name for site in sites]
        assert names == ["ekic", "bnbibliotheek", "wiki"]
        for site, port in zip(sites, ports, strict=True):
            answer = requests.get(f"http://127.0.0.1:{port}/robots.txt", timeout=5)
            assert answer.status_code == 200, site.site.name
            assert "Crawl-delay" not in answer.text
    finally:
        for site in sites:
            site.close()


def test_a_busy_port_leaves_no_site_running() -> None:
    ports = (free_port(), free_port(), free_port())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", ports[2]))
        busy.listen()
        with pytest.raises(OSError):
            start_sites(ports)
    for port in ports[:2]:
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
