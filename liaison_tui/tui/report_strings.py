"""The terminal's messages for reports, lists behind figures and saved views, (English, Chinese)."""

from __future__ import annotations

from ..domain.i18n import register

register(
    {
        "screen.reports": ("Reports", "统计报表"),
        "screen.contacts": ("Contacts", "联系人"),
        "key.app.reports": ("Reports", "报表"),
        "key.app.save_view": ("Save view", "保存视图"),
        "key.reports.previous": ("Previous report", "上一报表"),
        "key.reports.next": ("Next report", "下一报表"),
        "key.reports.section": ("Table", "切换表格"),
        "key.reports.period": ("Year", "年度"),
        "key.reports.owner": ("Owner", "负责人"),
        "key.reports.chain": ("Chain", "产业链"),
        "key.reports.export": ("Export", "导出"),
        "key.chart.previous": ("Previous bar", "上一项"),
        "key.chart.next": ("Next bar", "下一项"),
        "key.chart.open": ("Open records", "查看记录"),
        "reports.computing": ("Computing…", "正在计算…"),
        "reports.took": ("{seconds:.2f} s", "{seconds:.2f} 秒"),
        "reports.section": ("{title} ({n}/{of})", "{title}（{n}/{of}）"),
        "reports.any_time": ("Any time", "全部时间"),
        "reports.this_year": ("This year ({year})", "今年（{year}）"),
        "reports.everyone": ("Everyone", "全部人员"),
        "reports.any_chain": ("Any industry chain", "全部产业链"),
        "reports.figure": ("{report} · {row} · {column}: {value}", "{report} · {row} · {column}：{value}"),
        "reports.no_records": ("No records behind this figure.", "此数字没有对应的记录。"),
        "reports.export_title": ("Export the report", "导出报表"),
        "reports.export_path": ("File (.xlsx with a chart, or .csv)", "文件（.xlsx 含图表，或 .csv）"),
        "reports.exported": ("Wrote {path}", "已写入 {path}"),
        "reports.no_export": ("Your role may not export this report.", "您的角色不能导出此报表。"),
        "contacts.count": ("{n} people", "共 {n} 人"),
        "views.title": ("Save this view", "保存当前视图"),
        "views.name": ("Name", "名称"),
        "views.shared": ("Shared with everyone (y/n)", "与所有人共享（y/n）"),
        "views.saved": ("Saved view '{name}'", "已保存视图“{name}”"),
        "views.nothing": ("This screen has no view to save.", "此屏幕没有可保存的视图。"),
        "views.home": ("Saved views", "常用视图"),
        "views.open": ("Open view: {name}", "打开视图：{name}"),
        "views.by": ("{kind} · by {owner}", "{kind} · {owner}"),
        "views.none": (
            "No saved views yet: S saves the list or report on screen.",
            "暂无常用视图：按 S 保存当前列表或报表。",
        ),
        "cmd.reports": ("Reports", "统计报表"),
        "cmd.report": ("Report: {name}", "报表：{name}"),
    }
)
