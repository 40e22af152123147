"""`zhenggai serve`: the same TUI in a browser (textual-serve), behind a random access token.

    zhenggai serve [--db PATH] [--shared] [--host 127.0.0.1] [--port 8000] [--socket [PATH]]

The listening socket is bound here, before anything is printed: a busy port moves on to the
next free one (and says so), any other failure is one Chinese line and exit 1, never a
traceback after "serving". Then the address with its token is printed once, with the SSH
tunnel command to reach it from one's own PC. ``--socket`` listens on a Unix socket (0600,
in the user's private runtime dir by default) instead of a TCP port: only this account can
connect to it, and ``ssh -L 8000:/path/to/socket`` forwards it.
"""

from __future__ import annotations

import argparse
import errno
import os
import secrets
import shlex
import socket
import stat
import sys

PORT_TRIES = 20


class ServeError(Exception):
    """A Chinese message; the command exits 1."""


def child_command(db: str, shared: bool) -> str:
    """The shell command textual-serve runs for each browser session."""
    cmd = [sys.executable, "-m", "tui", "--db", db]
    if shared:
        cmd.append("--shared")
    return " ".join(shlex.quote(c) for c in cmd)


def bind_tcp(host: str, port: int, tries: int = PORT_TRIES) -> tuple[socket.socket, int]:
    """A listening socket on ``host``: ``port``, or the next free one of ``tries``."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ServeError(f"无法解析监听地址“{host}”。请用 127.0.0.1（默认）或本机的一个地址。") from None
    family, _type, proto, _name, addr = infos[0]
    for p in range(port, min(port + tries, 65536)):
        sock = socket.socket(family, socket.SOCK_STREAM, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((addr[0], p, *addr[2:]))
            sock.listen(128)
        except OSError as e:
            sock.close()
            if e.errno == errno.EADDRINUSE:
                continue
            if e.errno in (errno.EACCES, errno.EPERM):
                raise ServeError(f"没有权限使用端口 {p}（1024 以下的端口需要管理员权限），请换一个端口，如 --port 8000。") from None
            if e.errno == errno.EADDRNOTAVAIL:
                raise ServeError(f"本机没有地址“{host}”，无法在它上面监听。") from None
            raise ServeError(f"无法监听 {host}:{p}：{e.strerror or e}") from None
        return sock, p
    last = min(port + tries, 65536) - 1
    raise ServeError(f"端口 {port}–{last} 都已被占用，请用 --port 指定另一个端口。")


def default_socket_path() -> str:
    from platformdirs import user_runtime_dir

    return os.path.join(user_runtime_dir("zhenggai", appauthor=False), "serve.sock")


def bind_unix(path: str) -> socket.socket:
    """A listening Unix socket at ``path``, connectable only by this account (0600)."""
    path = os.path.abspath(os.path.expanduser(path))
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise ServeError(f"无法使用套接字路径 {path}：{e.strerror or e}") from None
    if st is not None:
        if not stat.S_ISSOCK(st.st_mode) or st.st_uid != os.geteuid():
            raise ServeError(f"{path} 已存在且不是本用户的套接字，请换一个路径。")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
            raise ServeError(f"已有服务在 {path} 上运行。")
        except (ConnectionRefusedError, FileNotFoundError):
            os.unlink(path)  # left behind by a server that died
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        sock.bind(path)
        sock.listen(128)
    except OSError as e:
        sock.close()
        raise ServeError(f"无法在 {path} 上监听：{e.strerror or e}") from None
    finally:
        os.umask(old)
    return sock


def banner(url: str, tunnel: str, note: str = "", local_port: int = 8000) -> str:
    lines = [
        "整改 · 浏览器界面已启动。",
        "在浏览器中打开（地址含访问令牌，只给自己用，不要转发给他人）：",
        f"    {url}",
        "从自己的电脑访问：先在电脑的命令行建立 SSH 隧道，再在电脑的浏览器中打开上面的地址：",
        f"    {tunnel}",
        f"（电脑上的 {local_port} 端口被占用时，可改用 -L 9000:…，并把地址中的端口改为 9000。）",
    ]
    if note:
        lines.insert(0, note)
    lines.append("按 Ctrl+C 停止。")
    return "\n".join(lines)


def _tunnel(local: int, remote: str) -> str:
    from ..fetch_hint import ssh_host, ssh_port, ssh_user

    port = f"-p {ssh_port()} " if ssh_port() else ""
    return f"ssh -N {port}-L {local}:{remote} {ssh_user()}@{ssh_host()}"


def main(args: argparse.Namespace) -> int:
    from storage import resolve_db_path

    try:
        from .server import GuardedServer
    except ImportError:
        print("未安装 textual-serve，无法在浏览器中使用。", file=sys.stderr)
        return 1
    token = secrets.token_urlsafe(24)
    note, unix_path, local_port = "", None, 8000
    try:
        if getattr(args, "socket", None) is not None:
            sock = bind_unix(args.socket or default_socket_path())
            unix_path = sock.getsockname()
            url = f"http://127.0.0.1:8000/?token={token}"
            tunnel = _tunnel(8000, unix_path)
            note = f"监听本用户专用的套接字 {unix_path}（其他账号无法连接）。"
        else:
            sock, port = bind_tcp(args.host, args.port)
            if port != args.port:
                note = f"端口 {args.port} 已被占用，改用 {port}。"
            addr = sock.getsockname()[0]
            local_port = port
            if addr in ("127.0.0.1", "::1"):
                url = f"http://127.0.0.1:{port}/?token={token}"
                tunnel = _tunnel(port, f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}")
            else:
                print(f"警告：监听 {args.host} 时，访问令牌以明文 HTTP 在网络上传输，可能被截获。"
                      "建议保持默认的 127.0.0.1，通过 SSH 隧道访问。", file=sys.stderr)
                shown = f"[{args.host}]" if ":" in args.host else args.host
                url = f"http://{shown}:{port}/?token={token}"
                tunnel = f"（不需要隧道：直接在浏览器中打开 {shown}:{port}）"
    except ServeError as e:
        print(str(e), file=sys.stderr)
        return 1
    db = resolve_db_path(args.db)
    server = GuardedServer(child_command(db, bool(args.shared)), token=token, banner=banner(url, tunnel, note, local_port))
    try:
        server.serve_on(sock)
    finally:
        if unix_path:
            try:
                os.unlink(unix_path)
            except OSError:
                pass
    return 0
