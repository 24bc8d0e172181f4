"""``casebook serve``: a local preview that says what it does, in Chinese.

mkdocs's own server prints its progress in English through logging, and
after a failed rebuild it holds every page request until a build succeeds
(the browser hangs). Here a failed build is reported as the list of
problems (file:line: field: …) in the terminal and in a banner over every
page of the last good site, which stays served; the browser reloads (and
the banner goes) as soon as the cases are fixed. If the cases are wrong
from the start, the preview shows a page listing the problems and waits
for the fix: a publicity officer editing a case wants the preview to
follow the edit, not a server to restart.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url

Say = Callable[[str], None]


def _problems_text(error: BaseException) -> str:
    """The Chinese problem list a failed build carries (the plugin's message), else the error itself."""
    cause: BaseException | None = error
    while cause is not None:
        text = str(cause)
        if "案例校验未通过" in text or "未生成网站" in text:
            return text
        cause = cause.__cause__ or cause.__context__
    if "strict mode" in str(error):
        return "mkdocs 给出了警告（见上方），严格模式下不生成网站；请按警告修正后保存"
    return f"生成网站时出错：{error}"


def waiting_page(problems: str) -> str:
    """The page shown while the cases have errors and no site was built yet (problems shown as text)."""
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>案例有错误，等待修正</title></head>'
        '<body style="font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6">'
        "<h1>案例有错误，网站尚未生成</h1><p>请按下列提示修改案例文件并保存，本页会自动刷新。</p>"
        f"<pre style='white-space:pre-wrap'>{html.escape(problems)}</pre></body></html>"
    )


def problems_banner(problems: str) -> str:
    """A banner over the last good site while the cases have errors (problems shown as text, never markup)."""
    return (
        '<div id="casebook-problems" role="alert" style="position:sticky;top:0;z-index:10000;'
        "background:#fdecea;color:#611a15;border-bottom:3px solid #d32f2f;padding:.8em 1.2em;"
        'font-family:sans-serif;font-size:.8rem;line-height:1.5;max-height:50vh;overflow:auto">'
        "<strong>案例有错误，网站没有更新：</strong>下面是问题清单，修正并保存后本页自动刷新，提示随之消失。"
        "页面显示的是上一次成功生成的网站。"
        f"<pre style='white-space:pre-wrap;margin:.5em 0 0'>{html.escape(problems)}</pre></div>"
    )


_BODY = re.compile(rb"<body[^>]*>")


class _Server(LiveReloadServer):
    """mkdocs's live-reload server that announces its address once it is listening, and puts the
    problems of the last failed build over every page it serves until a build succeeds."""

    announce: Callable[[], None] = staticmethod(lambda: None)
    problems: Callable[[], str | None] = staticmethod(lambda: None)

    def server_activate(self) -> None:
        super().server_activate()
        self.announce()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        problems = self.problems()
        if problems is None:
            return content
        body = _BODY.search(content)
        at = body.end() if body else 0
        return content[:at] + problems_banner(problems).encode("utf-8") + content[at:]


def serve(config_file: Path, dev_addr: str, say: Say) -> None:
    """Build into a temporary folder, serve it at ``dev_addr`` and rebuild when a watched file changes.

    Every build goes to a fresh folder; the server switches to it only when
    the build succeeded, so a failed build never leaves a half-written site.
    """
    # mkdocs's English progress lines are left out (we say our own); its warnings, which stop a
    # strict build, are still shown.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(config_file=str(config_file), dev_addr=dev_addr)
    host, port = config.dev_addr
    url = _serve_url(host, port, "/")
    config.plugins.on_startup(command="serve", dirty=False)
    served: dict[str, Any] = {"root": tempfile.mkdtemp(prefix="casebook-serve-"), "built": False, "problems": None}
    server: _Server | None = None

    def builder(fresh=None) -> None:  # type: ignore[no-untyped-def]
        target = tempfile.mkdtemp(prefix="casebook-serve-")
        current = fresh if fresh is not None else load_config(config_file=str(config_file), dev_addr=dev_addr)
        current.site_dir, current.site_url = target, url
        try:
            build(current, serve_url=url, dirty=False)
        except (MkDocsException, SystemExit, OSError, ValueError) as error:
            shutil.rmtree(target, ignore_errors=True)
            problems = _problems_text(error)
            say(problems)
            if served["built"]:
                served["problems"] = problems
                say("预览仍显示上一次成功生成的网站，页面顶部列出上述问题；修正并保存后会自动更新。")
            else:
                Path(str(served["root"]), "index.html").write_text(waiting_page(problems), encoding="utf-8")
                say("网站尚未生成：请修正上述问题并保存，预览会自动生成并刷新（按 Ctrl+C 退出）。")
            return
        old, served["root"], served["built"], served["problems"] = served["root"], target, True, None
        if server is not None:
            server.root = target
        shutil.rmtree(str(old), ignore_errors=True)
        say("已生成网站，浏览器会自动刷新。")

    try:
        say("正在生成预览网站……")
        builder(config)
        server = _Server(builder=builder, host=host, port=port, root=str(served["root"]))
        server.problems = lambda: served["problems"]
        server.announce = lambda: say(f"预览地址：{url}（修改案例并保存后自动刷新；按 Ctrl+C 退出）")
        server.error_handler = lambda code: _error_page(str(served["root"]), code)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        config.plugins.on_serve(server, config=config, builder=builder)  # the casebook plugin watches cases/
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            say("已停止预览。")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(str(served["root"]), ignore_errors=True)


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir, f"{code}.html")
    return page.read_bytes() if page.is_file() else None
