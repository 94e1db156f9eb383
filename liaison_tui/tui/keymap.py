"""Key bindings with ids: every action a staff member can take has one, so that ``[keys]`` in the config
file can remap it through :meth:`App.set_keymap` (``"app.lookup" = "ctrl+f"``). Descriptions come from the
catalog (``key.<id>``) and are rewritten in place when the language changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from textual.binding import Binding
from textual.dom import DOMNode

from ..domain.i18n import has, register, t


def key(
    keys: str,
    action: str,
    binding_id: str,
    *,
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
) -> Binding:
    """A binding whose description is the catalog entry ``key.<binding_id>``."""
    return Binding(
        keys,
        action,
        t(f"key.{binding_id}"),
        show=show,
        priority=priority,
        id=binding_id,
        key_display=key_display,
        tooltip=binding_id,
    )


# Textual's own bindings (the footer's palette key, the text box's editing keys, tabs, focus) carry English
# descriptions and no ids: they are translated by their English text, and found again by either text.
TEXTUAL_BINDINGS: dict[str, str] = {
    "palette": "命令面板",
    "Quit": "退出",
    "Focus Next": "下一个控件",
    "Focus Previous": "上一个控件",
    "Copy selected text": "复制选中的文字",
    "Previous tab": "上一标签",
    "Next tab": "下一标签",
    "Move cursor left": "光标左移",
    "Move cursor left and select": "左移并选择",
    "Move cursor left a word": "左移一个词",
    "Move cursor left a word and select": "左移一个词并选择",
    "Move cursor right or accept the completion suggestion": "光标右移或接受补全",
    "Move cursor right and select": "右移并选择",
    "Move cursor right a word": "右移一个词",
    "Move cursor right a word and select": "右移一个词并选择",
    "Delete character left": "删除左侧字符",
    "Select all": "全选",
    "Go to start": "移到开头",
    "Go to end": "移到末尾",
    "Select line start": "选择到行首",
    "Select line end": "选择到行尾",
    "Delete character right": "删除右侧字符",
    "Submit": "确认",
    "Delete left to start of word": "向左删除一个词",
    "Delete all to the left": "删除左侧全部",
    "Delete right to start of word": "向右删除一个词",
    "Delete all to the right": "删除右侧全部",
    "Cut selected text": "剪切选中的文字",
    "Paste text from the clipboard": "从剪贴板粘贴",
    "Show menu": "展开选项",
    "Press button": "按下按钮",
    "Down": "下移",
    "Up": "上移",
    "First": "首项",
    "Last": "末项",
    "Select": "选择",
    "Page Down": "下一页",
    "Page Up": "上一页",
    "Scroll Up": "向上滚动",
    "Scroll Down": "向下滚动",
    "Scroll Home": "滚动到顶部",
    "Scroll End": "滚动到底部",
}
register({f"key.textual.{en}": (en, zh) for en, zh in TEXTUAL_BINDINGS.items()})
_TEXTUAL_BY_TEXT = {text: f"key.textual.{en}" for en, zh in TEXTUAL_BINDINGS.items() for text in (en, zh)}


def localize_node(node: DOMNode) -> None:
    """Rewrite ``node``'s binding descriptions in the current language."""
    table = node._bindings.key_to_bindings
    for name, bindings in table.items():
        table[name] = [_localized(b) for b in bindings]


def _localized(binding: Binding) -> Binding:
    if binding.id and has(f"key.{binding.id}"):
        return dataclasses.replace(binding, description=t(f"key.{binding.id}"))
    textual = _TEXTUAL_BY_TEXT.get(binding.description)
    if textual is not None:
        return dataclasses.replace(binding, description=t(textual))
    return binding


def localize_tree(nodes: Iterable[DOMNode]) -> None:
    for node in nodes:
        localize_node(node)
        for child in node.walk_children():
            localize_node(child)


def binding_ids(nodes: Iterable[DOMNode]) -> set[str]:
    """Every binding id declared on these nodes (to warn about unknown ids in the config)."""
    out: set[str] = set()
    for node in nodes:
        for bindings in node._bindings.key_to_bindings.values():
            out.update(b.id for b in bindings if b.id)
    return out
