"""The importer's fast paths give exactly what the full rules give: the light contact check against the
Contact model, and the bulk path's column conversion against the write path's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from liaison_tui.domain.entities import ENTITIES
from liaison_tui.domain.enums import ContactSource, Gender, IndustryChain
from liaison_tui.domain.models import Contact
from liaison_tui.importer.incoming import light_contact
from liaison_tui.store.rows import column_kinds, to_column, to_columns

_TEXT = st.one_of(
    st.just(""),
    st.text(max_size=30).map(str.strip),
    st.text(alphabet="张伟ab ", min_size=195, max_size=205).map(str.strip),  # around the length limit
)
_CODES = ["DE", "CN", "HK", "US", "TW"]


@st.composite
def row_data(draw: st.DrawFn) -> dict:
    """Values shaped as ``incoming.build`` hands them over: stripped texts, parsed codes."""
    notes = draw(st.one_of(_TEXT, st.integers(19_999, 20_001).map(lambda n: "注" * n)))
    return {
        "native_name": draw(_TEXT),
        "latin_name": draw(_TEXT),
        "gender": draw(st.sampled_from([None, *(g.value for g in Gender)])),
        "country": draw(st.sampled_from([None, *_CODES])),
        "nationalities": draw(st.lists(st.sampled_from(_CODES), unique=True, max_size=3)),
        "city": draw(_TEXT),
        "title": draw(_TEXT),
        "field": draw(_TEXT),
        "industry_chains": draw(st.lists(st.sampled_from([c.value for c in IndustryChain]), unique=True)),
        "tags": draw(st.lists(st.text(max_size=8), max_size=5)),
        "source": draw(st.sampled_from([s.value for s in ContactSource])),
        "source_detail": draw(st.one_of(st.none(), _TEXT)),
        "notes": notes,
    }


@settings(max_examples=400, deadline=None)
@given(data=row_data())
def test_light_contact_agrees_with_the_model(data: dict) -> None:
    light = light_contact(dict(data))
    try:
        full = Contact.model_validate(data).storable()
    except ValidationError:
        assert light is None  # the model refuses: the shortcut must have left it to the model
        return
    full.pop("id")
    if light is not None:
        assert light == full


@settings(max_examples=200, deadline=None)
@given(data=row_data())
def test_bulk_columns_match_the_write_paths(data: dict) -> None:
    try:
        fields = Contact.model_validate(data).storable()
    except ValidationError:
        return
    entity = ENTITIES["contacts"]
    names = [name for name, _ in column_kinds(entity)]
    assert to_columns(entity, fields) == [to_column(entity, name, fields.get(name)) for name in names]
