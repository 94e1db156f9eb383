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
        "sync.err.bad_url": (
            "The station server address {url} is not an http(s) address.",
            "工作站服务器地址 {url} 不是 http(s) 地址。",
        ),
        "sync.err.insecure_url": (
            "Refusing to send this laptop's token over unencrypted http to {url}. Use the https address of "
            "the station server, or set allow_insecure_http = true in the config file if this network is "
            "protected otherwise.",
            "拒绝通过未加密的 http 向 {url} 发送本机令牌。请使用工作站服务器的 https 地址；如该网络另有保护，"
            "可在配置文件中设置 allow_insecure_http = true。",
        ),
        "sync.err.certificate": (
            "The station server at {url} presented a certificate this laptop does not trust. This is not a "
            "network outage: someone may be intercepting the connection. Nothing was sent; tell the "
            "administrator.",
            "位于 {url} 的工作站服务器出示了本机不信任的证书。这不是网络中断：可能有人在拦截连接。"
            "未发送任何数据；请告知管理员。",
        ),
        "sync.err.server_behind": (
            "The station server has less of this laptop's work than this laptop (restored from an older "
            "backup?), up to change {last_seq}; sending it again.",
            "工作站服务器保存的本机修改少于本机（是否从较早的备份恢复？），仅到编号 {last_seq}；正在重新发送。",
        ),
        "sync.err.feed_rewound": (
            "The station server's history is older than this laptop's (restored from a backup?); catching up "
            "from the last point both hold.",
            "工作站服务器的记录比本机旧（是否从备份恢复？）；正在从双方共有的最近位置重新同步。",
        ),
        "sync.err.too_many_attempts": (
            "The station server is refusing this network for {seconds} s after too many failed sign-ins. "
            "Your changes are kept.",
            "由于登录失败次数过多，工作站服务器在 {seconds} 秒内拒绝来自本网络的连接。您的修改已保留。",
        ),
        "sync.err.wipe_pending": (
            "The station server asked this laptop to erase its data; sync again to finish.",
            "工作站服务器要求本机清除数据；请再次同步以完成。",
        ),
        "sync.err.wiped": (
            "At the station's request this laptop's data was erased, after everything waiting was sent. "
            "Ask the administrator for a new token to work again.",
            "应工作站要求，本机数据已在所有待发送内容发送后清除。如需继续工作，请向管理员申请新令牌。",
        ),
        "sync.wiped.reason": ("erased at the station's request", "应工作站要求清除"),
        "sync.err.device_taken": (
            "Another token is already bound to this laptop. Ask the administrator to revoke it and issue "
            "one for this laptop (issue-device-token … --device).",
            "已有其他令牌绑定到本机。请管理员吊销该令牌并为本机签发新令牌（issue-device-token … --device）。",
        ),
        "sync.err.device_invalid": (
            "This laptop's device id is not valid for the station server.",
            "本机设备编号无效，工作站服务器不予接受。",
        ),
        "sync.err.staff_inactive": (
            "The staff account behind this laptop's token is no longer active. Your changes are kept; ask "
            "the administrator.",
            "本机令牌所属的工作人员账号已停用。您的修改已保留；请联系管理员。",
        ),
        "sync.err.numbering": (
            "The station server answered with an impossible change number ({seq}); nothing was changed.",
            "工作站服务器返回了不可能的修改编号（{seq}）；未作任何更改。",
        ),
        "sync.err.demo_store": (
            "This database holds demo data, which must never reach the station server. Use a "
            "separate database file (LIAISON_DB) for real work.",
            "该数据库包含演示数据，不能同步到工作站服务器。实际工作请使用单独的数据库文件（LIAISON_DB）。",
        ),
    }
)

# Failures worth retrying by themselves (on a timer); the others need a person.
RETRYABLE = frozenset(
    {
        "sync.err.offline",
        "sync.err.interrupted",
        "sync.err.server",
        "sync.err.busy",
        "sync.err.too_many_attempts",
    }
)


class SyncError(LiaisonError):
    @property
    def retryable(self) -> bool:
        return self.key in RETRYABLE
