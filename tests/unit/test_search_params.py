"""search_ui.params: the links a results page makes from one search."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search_ui.params import FACETS, PAGE_SIZES, SORTS, SearchParams

_text = st.text(min_size=0, max_size=12)
_values = st.lists(st.text(min_size=1, max_size=8), max_size=3).map(tuple)
_params = st.builds(
    SearchParams,
    q=_text,
    filters=st.dictionaries(st.sampled_from(list(FACETS)), _values, max_size=3),
    sort=st.sampled_from(SORTS),
    page=st.integers(1, 9),
    size=st.sampled_from(PAGE_SIZES),
    format=st.sampled_from(("html", "json")),
    literal=st.booleans(),
)


@given(_params, st.sampled_from(list(FACETS)), st.lists(st.text(max_size=10), max_size=4))
def test_one_facet_value_links_are_the_links_only_would_make(
    params: SearchParams, facet: str, values: list[str]
) -> None:
    """``only_url`` encodes the rest of the query once; every link it makes (a value
    asked for twice included) is exactly ``only(facet, value).url()``."""
    url = params.only_url(facet)
    for value in [*values, *values]:
        assert url(value) == params.only(facet, value).url()


def test_a_keyword_link_keeps_the_query_and_the_other_filters_and_starts_at_page_one() -> None:
    params = SearchParams(
        q="lees & club", filters={"provincie": ("Limburg",), "trefwoord": ("oud",)},
        sort="nieuwste", page=4,
    )  # fmt: skip
    assert params.only_url("trefwoord")("e-books") == (
        "/zoeken?q=lees+%26+club&provincie=Limburg&trefwoord=e-books&sorteer=nieuwste"
    )
