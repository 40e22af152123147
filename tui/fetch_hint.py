"""How to fetch an exported file from this server to one's own PC (scp, SFTP, WinSCP).

The clerk works over SSH, so a file written on the server is only half done: after an export
the TUI and the CLI say where the file is and give the commands to copy it. The host is
``$ZHENGGAI_SSH_HOST`` when an administrator sets it (the name colleagues' PCs know the server
by), else this machine's host name; the port is taken from the SSH session when it is not 22;
the user is the account the process runs as (not $USER, which anyone can set).
"""

from __future__ import annotations

import os
import pwd
import shlex
import socket


def ssh_host() -> str:
    return os.environ.get("ZHENGGAI_SSH_HOST", "").strip() or socket.gethostname() or "服务器地址"


def ssh_port() -> int | None:
    """The server port of the current SSH session, when it is not the default 22."""
    parts = os.environ.get("SSH_CONNECTION", "").split()
    if len(parts) == 4 and parts[3].isdigit() and parts[3] != "22":
        return int(parts[3])
    return None


def ssh_user() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def scp_command(path: str | os.PathLike[str]) -> str:
    """The command to run on one's PC that copies ``path`` from this server into its folder."""
    port = ssh_port()
    return "scp " + (f"-P {port} " if port else "") + _quote(f"{ssh_user()}@{ssh_host()}:{os.path.abspath(path)}") + " ."


def fetch_lines(path: str | os.PathLike[str]) -> list[str]:
    """Two lines: the scp command to run on one's PC, and the SFTP/WinSCP way."""
    path = os.path.abspath(path)
    user, host, port = ssh_user(), ssh_host(), ssh_port()
    scp = scp_command(path)
    where = f"{host}" + (f"（端口 {port}）" if port else "")
    return [
        f"取回到自己的电脑（在电脑的命令行执行）：{scp}",
        f"或用 WinSCP / SFTP 连接 {where}，用户 {user}，进入 {os.path.dirname(path)} 下载。",
    ]


def _quote(arg: str) -> str:
    """Quoted only when needed, in double quotes: cmd.exe, PowerShell and sh all read those
    (cmd.exe does not know single quotes). Chinese needs no quoting."""
    if not any(c.isspace() or c in "'\"$`\\!&|;<>()*?[]{}#~^%" for c in arg):
        return arg
    if not any(c in '"$`\\!' for c in arg):
        return f'"{arg}"'
    return shlex.quote(arg)


def fetch_hint(path: str | os.PathLike[str]) -> str:
    return "\n".join(fetch_lines(path))
