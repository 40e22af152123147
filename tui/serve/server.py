"""textual-serve's Server, made safe to run on a shared server and usable through a tunnel.

textual-serve has no authentication and accepts any Origin: on a server with several accounts,
anyone could open 127.0.0.1:8000 and drive a colleague's session (read her data, write files
as her through the export dialog). Here:

- a random token (``secrets.token_urlsafe``), printed once at start like Jupyter's, is
  required on the page (``/?token=…``) and on the websocket (``/ws/<token>``: textual.js
  appends its own ``?width=…`` to the websocket address, so the token goes in the path);
  compared in constant time;
- a websocket whose ``Origin`` is not the page's own (scheme http(s) and the ``Host`` the
  browser used) is refused, so no other web page can open it even with the token (no
  Origin: not a browser, the token alone decides);
- only the page, the websocket and textual-serve's own static files are served (no download
  route, no folder listings); the page's security headers forbid framing, referrers and any
  resource from elsewhere;
- the page is ours (templates/app_index.html): Chinese texts, no Google Fonts, only relative
  URLs, the websocket address built in the browser from ``window.location`` (so a tunnel on
  another local port works), and a CJK monospace font stack, also given to xterm.js by
  patching the one font-family string in textual.js as it is served.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Monospace fonts whose Chinese characters are exactly two Latin cells wide, so xterm.js draws
# them without gaps: Sarasa/Noto/Source Han/WenQuanYi on Linux desktops, SimHei and NSimSun
# (新宋体) on every Chinese Windows; then whatever monospace the browser has.
FONT_STACK = ("'Sarasa Mono SC', 'Noto Sans Mono CJK SC', 'Source Han Mono SC', 'WenQuanYi Zen Hei Mono', "
              "'SimHei', 'NSimSun', 'Menlo', 'Consolas', monospace")
# The one font setting inside textual.js (textual-serve 1.1): the terminal's fontFamily option.
XTERM_FONT = "fontFamily:\"'Roboto Mono', Monaco, 'Courier New', monospace\""

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

REFUSED_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>拒绝访问</title></head>
<body style="font-family: sans-serif; margin: 3em;"><h2>拒绝访问</h2><p>{reason}</p>
<p>请使用启动 <code>zhenggai serve</code> 时打印的完整地址（含 <code>?token=…</code>）。</p></body></html>"""

MAX_REFUSALS_SHOWN = 20
log = logging.getLogger("zhenggai.serve")


class GuardedServer(Server):
    """Server with a token, an Origin check, our page and a quiet Chinese console."""

    def __init__(self, command: str, *, token: str, title: str = "整改", banner: str = "") -> None:
        super().__init__(command, host="127.0.0.1", port=0, title=title, templates_path=TEMPLATES)
        self.token = token
        self.banner = banner
        self.refusals = 0
        self._textual_js: bytes | None = None

    # ------------------------------------------------------------ checks

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and secrets.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    @staticmethod
    def origin_ok(request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser: the token alone decides
        parts = urlsplit(origin)
        host = request.headers.get("Host", "")
        return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()

    def refuse(self, request: web.Request, reason: str) -> web.HTTPForbidden:
        self.refusals += 1
        if self.refusals <= MAX_REFUSALS_SHOWN:
            peer = request.remote or "本机套接字"
            more = "（之后的拒绝不再显示）" if self.refusals == MAX_REFUSALS_SHOWN else ""
            print(f"已拒绝一次访问（{peer} {request.path}）：{reason}{more}", flush=True)
        return web.HTTPForbidden(text=REFUSED_PAGE.format(reason=reason), content_type="text/html",
                                 headers=SECURITY_HEADERS)

    # ------------------------------------------------------------ app

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{token}", self.handle_websocket, name="websocket"),
            web.get("/static/js/textual.js", self.handle_textual_js),  # before the static route
            web.get("/favicon.ico", self.handle_favicon),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler):
        response = await handler(request)
        if not isinstance(response, web.WebSocketResponse):
            for k, v in SECURITY_HEADERS.items():
                if k != "Cache-Control" or request.path == "/":
                    response.headers.setdefault(k, v)
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.token_ok(request.query.get("token")):
            raise self.refuse(request, "缺少或错误的访问令牌。" if request.query.get("token") is not None else "缺少访问令牌。")
        try:
            size = int(request.query.get("fontsize", "16"))
        except ValueError:
            size = 16
        context: dict[str, Any] = {
            "font_size": min(max(size, 8), 40),
            "font_stack": FONT_STACK,
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.token_ok(request.match_info.get("token")):
            raise self.refuse(request, "websocket 缺少或错误的访问令牌。")
        if not self.origin_ok(request):
            raise self.refuse(request, f"来源（Origin）{request.headers.get('Origin')!r} 不是本页面。")
        # textual-serve 1.1's handler, with GuardedAppService in place of AppService
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = GuardedAppService(
                self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager, debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket

    async def handle_textual_js(self, request: web.Request) -> web.Response:
        if self._textual_js is None:
            self._textual_js = patched_textual_js(self.statics_path / "js" / "textual.js")
        return web.Response(body=self._textual_js, content_type="application/javascript", charset="utf-8")

    def serve_on(self, sock) -> None:
        """Serve on an already bound, listening socket until Ctrl+C or SIGTERM."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        web.run_app(self._make_app(), sock=sock, handle_signals=False, loop=loop, print=None, access_log=None)

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)  # none, and no 404 in the browser's console

    # ------------------------------------------------------------ console

    def initialize_logging(self) -> None:
        # textual-serve's log lines are developer notes: warnings and errors only, plain, and
        # the one a user meets (an app that did not start) in Chinese.
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.addFilter(_chinese_log)
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        if self.banner:
            print(self.banner, flush=True)  # plain print: the URL must not be wrapped or styled


LOG_ZH = {"Application failed to start": "整改未能启动，原因如下："}


def _chinese_log(record: logging.LogRecord) -> bool:
    if isinstance(record.msg, str):
        record.msg = LOG_ZH.get(record.msg, record.msg)
    return True


class GuardedAppService(AppService):
    """An app process that tells the browser when it ends without saying so.

    textual-serve closes the browser's session only on the app's "exit" message; an app that
    stops before it starts (a damaged database: exit 2, the reason on stderr) left the page on
    its start screen for ever. Now the terminal shows a Chinese line and the session ends.
    """

    _said_exit = False

    async def on_meta(self, data: bytes) -> None:
        try:
            self._said_exit |= json.loads(data).get("type") == "exit"
        except (ValueError, AttributeError):
            pass
        await super().on_meta(data)

    async def run(self) -> None:
        await super().run()
        if self._said_exit or self._process is None:
            return
        try:
            code = await asyncio.wait_for(self._process.wait(), 5)
        except asyncio.TimeoutError:
            code = None
        if code == 0:
            return
        note = f"\r\n整改未能启动（退出码 {code}），原因已显示在运行 zhenggai serve 的终端中。\r\n"
        try:
            await self.remote_write_bytes(note.encode("utf-8"))
            await self.remote_close()
        except Exception:
            pass  # the browser has gone already


def patched_textual_js(path: Path) -> bytes:
    """textual.js with our font stack for the terminal (unchanged if the string moved)."""
    js = path.read_bytes()
    marker = XTERM_FONT.encode()
    if marker not in js:
        log.warning("textual.js: font setting not found; Chinese may be drawn with gaps")
        return js
    return js.replace(marker, f'fontFamily:"{FONT_STACK}"'.encode(), 1)
