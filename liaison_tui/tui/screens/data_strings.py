"""Messages of the data screens (import, duplicates, merge, export), (English, Chinese). Kept apart from
``strings.py`` so these screens can grow without touching the shared catalog; binding descriptions of the
app-level keys are there, those of these screens here."""

from __future__ import annotations

from ...domain.i18n import register

register(
    {
        # screens
        "screen.import": ("Import contacts", "导入联系人"),
        "screen.duplicates": ("Likely duplicates", "疑似重复联系人"),
        "screen.merge": ("Merge two contacts", "合并联系人"),
        "screen.export": ("Export", "导出"),
        # bindings
        "key.import.preview": ("Preview", "预览"),
        "key.import.apply": ("Import", "导入"),
        "key.import.save_mapping": ("Save mapping", "保存对应关系"),
        "key.import.cancel": ("Cancel/back", "取消/返回"),
        "key.dup.merge": ("Merge", "合并"),
        "key.dup.dismiss": ("Not the same", "不是同一人"),
        "key.dup.rescan": ("Scan again", "重新扫描"),
        "key.merge.keep": ("Take left", "取左侧"),
        "key.merge.other": ("Take right", "取右侧"),
        "key.merge.confirm": ("Merge", "合并"),
        "key.export.run": ("Export", "导出"),
        # import
        "tui.import.path": (
            "Path to a .csv, .xlsx or .vcf file, then Enter (→ completes)",
            "输入 .csv、.xlsx 或 .vcf 文件路径后按 Enter（→ 补全）",
        ),
        "tui.import.reading": ("Reading {name}…", "正在读取 {name}…"),
        "tui.import.file": (
            "{name}: {kind}, {rows} rows, header on row {header}{encoding}",
            "{name}：{kind}，{rows} 行，表头在第 {header} 行{encoding}",
        ),
        "tui.import.skipped": ("Skipped row {row}: {reason}", "跳过第 {row} 行：{reason}"),
        "tui.import.unexpected": (
            "This file could not be read ({error}). Nothing was written.",
            "无法读取此文件（{error}）。未写入任何数据。",
        ),
        "tui.import.columns": (
            "Columns: choose what each column is imported as",
            "列对应关系：为每一列选择导入字段",
        ),
        "tui.import.ignore": ("— not imported —", "— 不导入 —"),
        "tui.import.saved": ("Load a saved mapping", "载入已保存的对应关系"),
        "tui.import.mapping_name": ("Name to save this mapping as", "保存对应关系的名称"),
        "tui.import.save": ("Save mapping", "保存对应关系"),
        "tui.import.preview_btn": ("Preview (ctrl+r)", "预览 (ctrl+r)"),
        "tui.import.apply_btn": ("Import (ctrl+g)", "导入 (ctrl+g)"),
        "tui.import.mapping_saved": (
            "Saved the column mapping as “{name}”.",
            "已将列对应关系保存为“{name}”。",
        ),
        "tui.import.mapping_loaded": ("Loaded the mapping “{name}”.", "已载入对应关系“{name}”。"),
        "tui.import.no_file": ("Open a file first.", "请先打开文件。"),
        "tui.import.preview_first": (
            "Preview first (ctrl+r): the import writes what the preview shows.",
            "请先预览 (ctrl+r)：导入的内容即预览所示。",
        ),
        "tui.import.changed": (
            "The mapping changed: preview again (ctrl+r).",
            "对应关系已更改：请重新预览 (ctrl+r)。",
        ),
        "tui.import.count.create": ("{n} new", "新建 {n}"),
        "tui.import.count.update": ("{n} update existing", "更新已有 {n}"),
        "tui.import.count.update.one": ("1 updates an existing contact", "更新已有 1"),
        "tui.import.count.unchanged": ("{n} already up to date", "已是最新 {n}"),
        "tui.import.count.duplicate": ("{n} duplicate rows combined", "文件内重复 {n} 行已合并"),
        "tui.import.count.duplicate.one": ("1 duplicate row combined", "文件内重复 1 行已合并"),
        "tui.import.count.suspect": ("{n} look like existing contacts", "疑似重复 {n}"),
        "tui.import.count.suspect.one": ("1 looks like an existing contact", "疑似重复 1"),
        "tui.import.count.failed": ("{n} failed", "失败 {n}"),
        "tui.import.confirm": (
            "Import {name}: {create} new, {update} updated, {failed} not imported (they stay listed). Go ahead?",
            "导入 {name}：新建 {create}，更新 {update}，无法导入 {failed} 行（导入后仍列出）。确定导入？",
        ),
        "tui.import.confirm_yes": ("Import now", "立即导入"),
        "tui.import.confirm_no": ("Not yet", "暂不导入"),
        "tui.import.file_no_header": (
            "{name}: {kind}, {rows} contacts{encoding}",
            "{name}：{kind}，{rows} 位联系人{encoding}",
        ),
        "tui.import.kind.csv": ("CSV", "CSV"),
        "tui.import.kind.xlsx": ("Excel", "Excel"),
        "tui.import.kind.vcard": ("vCard", "vCard"),
        "tui.import.failed_listed": ("The rows listed below were not imported.", "下列各行未导入。"),
        "tui.import.matches": ("{n} match: {names}", "{n} 个匹配：{names}"),
        "tui.import.previous": ("This file was already imported on {at}.", "该文件已于 {at} 导入过。"),
        "tui.import.more": ("… {count} more rows not listed", "…… 另有 {count} 行未列出"),
        "tui.import.done": (
            "Imported: {create} new, {update} updated, {unchanged} already up to date, {failed} failed. "
            "Batch {batch}.",
            "导入完成：新建 {create}，更新 {update}，已是最新 {unchanged}，失败 {failed}。批次 {batch}。",
        ),
        "tui.import.cancelling": ("Cancelling…", "正在取消…"),
        "tui.col.row": ("Row", "行"),
        "tui.col.result": ("Result", "结果"),
        "tui.col.field": ("Field", "字段"),
        "tui.col.keep": ("Keep (left)", "保留（左）"),
        "tui.col.other": ("Merge in (right)", "并入（右）"),
        "tui.col.why": ("Why", "原因"),
        "tui.col.take": ("Takes", "采用"),
        "tui.col.merged": ("Result", "合并结果"),
        # duplicates
        "tui.dup.scanning": ("Scanning for duplicates", "正在查找重复"),
        "tui.dup.none": ("No likely duplicates.", "没有发现疑似重复。"),
        "tui.dup.count": (
            "{count} likely duplicate pairs, strongest first · Enter merge · d not the same person",
            "共 {count} 对疑似重复，按可能性排序 · Enter 合并 · d 不是同一人",
        ),
        "tui.dup.capped": ("showing the first {shown}", "仅显示前 {shown} 对"),
        "tui.dup.dismissed": ("Will not propose this pair again.", "以后不再提示这一对。"),
        "tui.dup.none_selected": ("Select a pair first.", "请先选择一对。"),
        "tui.dup.detail": ("The two records", "两条记录对比"),
        "tui.dup.added": ("Added", "录入日期"),
        "tui.dup.place": ("Where", "所在地"),
        # merge
        "tui.merge.hint": (
            "← or 1: take the left value · → or 2: take the right value · ctrl+s merge",
            "← 或 1：取左侧的值 · → 或 2：取右侧的值 · ctrl+s 合并",
        ),
        "tui.merge.moves": ("Moves to the kept contact: {moves}", "将转移到保留的联系人：{moves}"),
        "tui.merge.nothing_moves": ("nothing", "无"),
        "tui.merge.both": ("both", "合并两者"),
        "tui.merge.confirm": (
            "Merge “{other}” into “{keep}”? The merged-away record will point to the kept one.",
            "确认将“{other}”合并到“{keep}”？被合并的记录将指向保留的联系人。",
        ),
        "tui.merge.yes": ("Merge", "合并"),
        "tui.merge.no": ("Not now", "暂不合并"),
        "tui.merge.done": ("Merged: {moved} linked records moved.", "合并完成：转移了 {moved} 条关联记录。"),
        "tui.merge.pick": ("Look up the contact to merge into this one", "查找要并入此联系人的联系人"),
        "tui.merge.same": ("That is this contact.", "这就是当前联系人。"),
        # export
        "tui.export.kind": ("What", "导出内容"),
        "tui.export.contacts": ("Contacts", "联系人"),
        "tui.export.cases": ("Cases", "服务事项"),
        "tui.export.format": ("Format", "格式"),
        "tui.export.path": ("Save as (file path)", "保存为（文件路径）"),
        "tui.export.hint": ("Enter export · Esc cancel", "Enter 导出 · Esc 取消"),
        "tui.export.running": ("Exporting", "正在导出"),
        "tui.export.done": ("Exported {count} records to {path}", "已导出 {count} 条记录到 {path}"),
        "tui.export.cancelled": ("Export cancelled; no file was written.", "已取消导出；未写入文件。"),
        "tui.export.vcard_cases": (
            "Cases cannot be exported as vCard: choose CSV or XLSX.",
            "服务事项不能导出为 vCard：请选择 CSV 或 XLSX。",
        ),
        "tui.export.no_path": ("Enter a file path.", "请输入文件路径。"),
        "tui.person.title": (
            "Export everything held about {name} (access request): folder",
            "导出 {name} 的全部个人信息（查阅请求）：保存目录",
        ),
        "tui.person.written": ("Wrote {paths}", "已写入 {paths}"),
    }
)
