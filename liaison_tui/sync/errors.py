"""Why a sync did not complete, in words a staff member can act on (every message in zh-CN and English)."""

from __future__ import annotations

from ..domain.errors import LiaisonError
from ..domain.i18n import register

register(
    {
        "sync.err.not_configured": (
            "No station server is set up. Set server_url and token in the config file, or "
            "LIAISON_SERVER_URL and LIAISON_TOKEN.",
            "尚未设置工作站服务器。请在配置文件中设置 server_url 和 token，或设置环境变量 "
            "LIAISON_SERVER_URL 与 LIAISON_TOKEN。",
        ),
        "sync.err.offline": (
            "Cannot reach the station server ({url}). Your changes are kept and will sync when the "
            "network is back.",
            "无法连接工作站服务器（{url}）。您的修改已保留，网络恢复后会自动同步。",
        ),
        "sync.err.interrupted": (
            "The connection to the station server broke off. Nothing was lost; sync again to finish.",
            "与工作站服务器的连接中断。没有数据丢失，请再次同步以完成。",
        ),
        "sync.err.token_missing": (
            "This laptop has no device token. Ask the administrator for one.",
            "本机没有设备令牌。请向管理员申请。",
        ),
        "sync.err.token_invalid": (
            "The station server does not recognise this laptop's token. Ask the administrator "
            "for a new one; your changes are kept.",
            "工作站服务器不认可本机的令牌。请向管理员申请新令牌；您的修改已保留。",
        ),
        "sync.err.token_revoked": (
            "This laptop's token was revoked. Ask the administrator for a new one; your changes are kept.",
            "本机的令牌已被吊销。请向管理员申请新令牌；您的修改已保留。",
        ),
        "sync.err.token_expired": (
            "This laptop's token has expired. Ask the administrator for a new one; your changes are kept.",
            "本机的令牌已过期。请向管理员申请新令牌；您的修改已保留。",
        ),
        "sync.err.token_other_device": (
            "This token belongs to another laptop. Ask the administrator for a token "
            "for this one; your changes are kept.",
            "该令牌属于另一台电脑。请向管理员为本机申请令牌；您的修改已保留。",
        ),
        "sync.err.upgrade": (
            "The station server runs Liaison {server_version} and this laptop {client_version}: "
            "please update Liaison. Your changes are kept and will sync after the update.",
            "工作站服务器运行 Liaison {server_version}，本机为 {client_version}：请更新 Liaison。"
            "您的修改已保留，更新后会同步。",
        ),
        "sync.err.server": (
            "The station server had a problem (HTTP {status}). Your changes are kept; try again later.",
            "工作站服务器出错（HTTP {status}）。您的修改已保留，请稍后再试。",
        ),
        "sync.err.busy": ("A sync is already running.", "同步正在进行中。"),
        "sync.err.numbers_reused": (
            "This laptop's database is older than what the station server has received from "
            "it (restored from a backup?), change {last_seq}. Your changes are kept; sync again.",
            "本机数据库比工作站服务器已收到的内容更旧（是否从备份恢复？），编号 {last_seq}。"
            "您的修改已保留，请再次同步。",
        ),
        "sync.err.demo_store": (
            "This database holds demo data, which must never reach the station server. Use a "
            "separate database file (LIAISON_DB) for real work.",
            "该数据库包含演示数据，不能同步到工作站服务器。实际工作请使用单独的数据库文件（LIAISON_DB）。",
        ),
    }
)

# Failures worth retrying by themselves (on a timer); the others need a person.
RETRYABLE = frozenset({"sync.err.offline", "sync.err.interrupted", "sync.err.server", "sync.err.busy"})


class SyncError(LiaisonError):
    @property
    def retryable(self) -> bool:
        return self.key in RETRYABLE
