"""Building real sites from fixture cases, for the site and browser tests."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from casebook.builder.publish import BuildReport, build_site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Headless, and quiet: without the last four, chromium phones home at start-up (there is no network).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (never a browser Playwright downloads)."""
    assert CHROMIUM.exists(), "需要 Debian 的 chromium（apt-get install chromium）；make test 会自动安装"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(
    browser: Browser, url: str, ready: str, *, width: int = 1366, timeout: int = 15000, hosts: set[str] | None = None
) -> tuple[Page, list[str]]:
    """Open ``url`` in a new page and wait for the selector ``ready``; returns the page and its errors.

    Script errors and dialogs are collected (a test asserts there are none); ``hosts``, if
    given, gathers every host the page asked for (a test asserts the site stays offline).
    """
    page = browser.new_page(viewport={"width": width, "height": 900})
    if hosts is not None:
        page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_selector(ready, timeout=timeout)
    return page, errors


def site_config(tmp: Path, cases: Path, edition: str = "public", cache: Path | None = None) -> Path:
    """A copy of the project's mkdocs.yml that reads ``cases`` and writes into ``tmp``.

    ``cache`` is the build's cache folder (default: the repository's ``.cache``).
    """
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "builder" / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "builder" / "overrides")
    config["site_dir"] = str(tmp / "site")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "casebook" in plugin:
            collections = cases.parent / "collections"
            plugin["casebook"].update(
                cases=str(cases), collections=str(collections), edition=edition, cache_dir=str(cache or ROOT / ".cache")
            )
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def build(tmp: Path, cases: Path, edition: str = "public") -> BuildReport:
    """Build ``cases`` into ``tmp/site``; an internal edition there is asked for on purpose (``tmp`` is its own project)."""
    return build_site(site_config(tmp, cases), tmp / "site", edition, into_public_dir=edition == "internal")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove a folder did not change."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
