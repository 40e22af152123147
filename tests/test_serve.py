"""`zhenggai serve` as a real server process: loopback only, a token on the page and the
websocket, the Origin checked, a page that needs nothing from outside and works through a
tunnel on another port, a busy port handled, a private Unix socket, --shared passed on."""

from __future__ import annotations

import asyncio
import os
import re
import selectors
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from conftest import ROOT

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, proc: subprocess.Popen, out: str) -> None:
        self.proc, self.out = proc, out
        m = URL.search(out)
        self.port, self.token = (int(m.group(1)), m.group(2)) if m else (0, "")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start(*args: str, until: str = "按 Ctrl+C 停止", timeout: float = 30) -> Served:
    """Start `zhenggai serve ARGS` and read its output until ``until`` (or its exit)."""
    proc = subprocess.Popen([sys.executable, "-m", "tui", "serve", *args], cwd=ROOT, env=os.environ,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    out = b""
    deadline = time.monotonic() + timeout
    while until.encode() not in out and time.monotonic() < deadline:
        if not sel.select(timeout=deadline - time.monotonic()):
            break
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break  # the process ended
        out += chunk
    sel.close()
    return Served(proc, out.decode("utf-8", "replace"))


def stop(served: Served) -> str:
    served.proc.terminate()
    rest, _ = served.proc.communicate(timeout=15)
    return served.out + rest.decode("utf-8", "replace")


@pytest.fixture
def served(tmp_path):
    s = start("--db", str(tmp_path / "zg.json"), "--port", str(free_port()))
    try:
        assert s.token, s.out
        yield s
    finally:
        out = stop(s)
    assert "Traceback" not in out, out


async def _get(url: str, **kw) -> tuple[int, str, dict]:
    async with aiohttp.ClientSession() as session, session.get(url, **kw) as r:
        return r.status, (await r.read()).decode("utf-8", "replace"), dict(r.headers)


async def _ws(url: str, **kw) -> int | bytes:
    """The handshake's refusal status, or the first bytes the app sends."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=5), **kw) as ws:
                async for msg in ws:
                    if msg.type == aiohttp.WSMsgType.BINARY:
                        return msg.data
                return b""
        except aiohttp.WSServerHandshakeError as e:
            return e.status


async def test_the_page_needs_the_token(served):
    status, text, _ = await _get(served.base + "/")
    assert status == 403 and "拒绝访问" in text and "令牌" in text
    assert (await _get(served.base + "/?token=" + served.token[:-1] + "x"))[0] == 403
    assert (await _get(served.base + "/?token="))[0] == 403
    status, page, headers = await _get(f"{served.base}/?token={served.token}")
    assert status == 200
    assert served.token not in page  # the page does not carry the secret: the browser's URL does
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["Referrer-Policy"] == "no-referrer"
    # nothing else is served: no download route, no folder listing
    assert (await _get(served.base + "/download/x"))[0] == 404
    assert (await _get(served.base + "/static/"))[0] in (403, 404)
    assert "已拒绝一次访问" in stop(served)


async def test_the_websocket_needs_the_token_and_the_page_origin(served):
    ws = f"ws://127.0.0.1:{served.port}/ws"
    page_origin = f"http://127.0.0.1:{served.port}"
    assert await _ws(ws) in (403, 404)
    assert await _ws(ws + "/" + "x" * len(served.token)) == 403
    assert await _ws(f"{ws}/{served.token}", origin="http://evil.example") == 403
    assert await _ws(f"{ws}/{served.token}", origin=f"http://127.0.0.1:{served.port + 1}") == 403
    assert await _ws(f"{ws}/{served.token}", origin="null") == 403
    # the right token and the page's own origin: the app runs and draws
    first = await _ws(f"{ws}/{served.token}?width=80&height=24", origin=page_origin)
    assert isinstance(first, bytes) and first, first
    # through a tunnel on another local port the browser sends that port as Host and Origin
    first = await _ws(f"{ws}/{served.token}?width=80&height=24", origin="http://localhost:9000",
                      headers={"Host": "localhost:9000"})
    assert isinstance(first, bytes) and first, first


async def test_the_page_loads_nothing_from_outside_and_uses_relative_urls(served):
    status, page, _ = await _get(f"{served.base}/?token={served.token}")
    assert status == 200
    assert "googleapis" not in page and "gstatic" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", page), "an absolute URL in src/href"
    assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", page), "an absolute URL in CSS"
    assert "ws://" not in page and "127.0.0.1" not in page and str(served.port) not in page
    assert 'href="static/css/xterm.css"' in page and 'src="static/js/textual.js"' in page
    assert "window.location" in page and 'new URL("ws/"' in page
    # Chinese texts, a CJK monospace font stack
    for zh in ("开始", "会话已结束", "重新开始", 'lang="zh-CN"'):
        assert zh in page
    for en in (">Start<", "Session ended", ">Restart<", "Textual Application"):
        assert en not in page
    assert "'Noto Sans Mono CJK SC'" in page and "'SimHei'" in page
    # xterm.js is told the same fonts, and the static files it needs are here
    status, js, _ = await _get(served.base + "/static/js/textual.js")
    assert status == 200 and "fontFamily:\"'Sarasa Mono SC', 'Noto Sans Mono CJK SC'" in js
    assert "'Roboto Mono', Monaco" not in js
    assert (await _get(served.base + "/static/css/xterm.css"))[0] == 200
    assert (await _get(served.base + "/static/images/background.png"))[0] == 200


def test_the_console_output_is_chinese_with_the_tunnel_command(served):
    out = served.out
    assert f"http://127.0.0.1:{served.port}/?token={served.token}" in out
    assert f"-L {served.port}:127.0.0.1:{served.port} " in out and "ssh -N" in out
    assert "Serving" not in out and "Press Ctrl+C" not in out and "textual-serve" not in out.lower()


def _outside_address() -> str | None:
    """This machine's address on its main network interface (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        try:
            u.connect(("10.255.255.255", 1))
            addr = u.getsockname()[0]
        except OSError:
            return None
    return None if addr.startswith("127.") else addr


def test_only_loopback_is_bound(served):
    other = _outside_address()
    if other is None:
        pytest.skip("this machine has no address other than loopback")
    with socket.socket() as s:
        s.settimeout(1)
        assert s.connect_ex((other, served.port)) != 0


def test_a_busy_port_moves_on_and_says_so(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        s = start("--db", str(tmp_path / "zg.json"), "--port", str(port))
        try:
            assert f"端口 {port} 已被占用" in s.out, s.out
            assert s.port != port and s.token
        finally:
            out = stop(s)
    assert "Traceback" not in out and "Errno" not in out


def test_no_free_port_is_one_chinese_line(tmp_path):
    with socket.socket() as busy:
        try:
            busy.bind(("127.0.0.1", 65535))
        except OSError:
            pass  # already taken by someone else: the same for the test
        busy.listen(1)
        s = start("--db", str(tmp_path / "zg.json"), "--port", "65535")
        out = stop(s)
    assert s.proc.returncode == 1, out
    assert "端口 65535–65535 都已被占用" in out and "Traceback" not in out and "Serving" not in out


async def test_a_private_unix_socket(tmp_path):
    path = tmp_path / "run" / "zg.sock"
    s = start("--db", str(tmp_path / "zg.json"), "--socket", str(path))
    try:
        assert s.token and f"-L 8000:{path} " in s.out, s.out
        assert stat.S_ISSOCK(path.stat().st_mode) and stat.S_IMODE(path.stat().st_mode) == 0o600
        async with aiohttp.ClientSession(connector=aiohttp.UnixConnector(path=str(path))) as session:
            async with session.get("http://localhost:8000/") as r:
                assert r.status == 403
            async with session.get(f"http://localhost:8000/?token={s.token}") as r:
                assert r.status == 200
    finally:
        out = stop(s)
    assert "Traceback" not in out
    assert not path.exists()  # removed on exit


async def test_shared_is_passed_on_to_the_app(tmp_path):
    from tui.serve import child_command

    assert child_command("/d/z.json", True).endswith(" --db /d/z.json --shared")
    assert "--shared" not in child_command("/d/z.json", False)
    db = tmp_path / "new" / "zg.json"
    s = start("--shared", "--db", str(db), "--port", str(free_port()))
    try:
        first = await _ws(f"ws://127.0.0.1:{s.port}/ws/{s.token}?width=80&height=24")
        assert isinstance(first, bytes) and first
        deadline = time.monotonic() + 30
        while not db.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # the app creates the database as it starts: poll, bounded
    finally:
        stop(s)
    assert stat.S_IMODE(db.stat().st_mode) == 0o660
    assert Path(db).parent.exists()


async def test_an_app_that_cannot_start_ends_the_session_with_a_chinese_line(tmp_path):
    db = tmp_path / "zg.json"
    db.write_text('{"meta": {', encoding="utf-8")  # damaged: the app exits 2 before it starts
    s = start("--db", str(db), "--port", str(free_port()))
    try:
        got = b""

        async def session_until_closed() -> None:
            nonlocal got
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"ws://127.0.0.1:{s.port}/ws/{s.token}?width=80&height=24") as ws:
                    async for msg in ws:  # ends when the server closes the session
                        if msg.type == aiohttp.WSMsgType.BINARY:
                            got += msg.data

        await asyncio.wait_for(session_until_closed(), 60)  # before the fix it never closed
        assert "整改未能启动（退出码 2）" in got.decode("utf-8", "replace")
    finally:
        out = stop(s)
    assert "数据库文件已损坏" in out and "整改未能启动，原因如下" in out
    assert "Application failed" not in out and "Traceback" not in out
