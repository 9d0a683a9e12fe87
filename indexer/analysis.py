"""Dutch text analysis of the Kennisbrug index: the ``settings.analysis`` block.

Sits between the document store and Elasticsearch, next to ``indexer.mapping``
(which names these analyzers on its fields). The token filters with the
``kennisbrug_`` prefix come from our own Elasticsearch plugin (``es/plugin``, word
lists in ``es/wordlists``), installed into the local node and the production image;
``standard``, ``lowercase`` and ``shingle`` are part of Elasticsearch's core.

The chains, all after the standard tokenizer::

    nl_text      lowercase → apostrophe → fold → stop → stem
                 index analyzer of every Dutch text field
    nl_search    lowercase → apostrophe → fold → synonyms → stop → stem
                 defined for ad-hoc analysis only: no field searches with it (since
                 mapping version 2). Synonyms come from the list admins edit, expanded
                 by the query builder (``search_ui.synonyms``), so that a deleted
                 entry is gone from every kind of query; the plugin's built-in list
                 would expand it again in staff syntax
    nl_exact     lowercase → fold
                 unstemmed, stop words kept: phrases and "exact" matches, completion
    nl_compound  lowercase → fold → decompound → stop → stem
                 lower-weighted subfield: "leesbevordering" is also indexed as
                 "lees" + "bevordering" (searched with nl_text)
    nl_shingle   lowercase → fold → shingles of 2-3 words (single words kept)
                 source of the phrase suggester ("bedoelde u …?")

What each plugin filter does:

* ``kennisbrug_apostrophe``: cd's → cd, foto's → foto ('s-Hertogenbosch untouched);
* ``kennisbrug_fold``: efficiënter → efficienter, ideeën → ideeen, België → belgie;
* ``kennisbrug_stop``: Dutch function words, incl. "den" and "s" (stopwords.txt);
* ``kennisbrug_stem``: Snowball Dutch with a protected-words list and overrides
  (provincies → provincie, fiets stays fiets, lezen/leest/las meet);
* ``kennisbrug_decompound``: compound parts found with compound_parts.txt;
* ``kennisbrug_synonyms``: bieb = bibliotheek, Den Bosch = 's-Hertogenbosch …;
  search-time only (Elasticsearch refuses it in an index analyzer).

Changing a chain or a word list changes what is in the index: bump
``indexer.mapping.MAPPING_VERSION`` and reindex.
"""

from __future__ import annotations

from typing import Any, Final

#: Index analyzer of Dutch text: folded, stop words removed, stemmed.
NL_TEXT: Final = "nl_text"
#: ``nl_text`` plus the plugin's synonyms (no field uses it; see the module notes).
NL_SEARCH: Final = "nl_search"
#: Lower case and folding only: phrases, exact matches, completion.
NL_EXACT: Final = "nl_exact"
#: Index analyzer of the compound subfield: adds the parts of compounds.
NL_COMPOUND: Final = "nl_compound"
#: Word 2-3-grams for the phrase suggester.
NL_SHINGLE: Final = "nl_shingle"

#: The token filters our plugin registers (named components of es/plugin).
PLUGIN_FILTERS: Final = (
    "kennisbrug_apostrophe",
    "kennisbrug_fold",
    "kennisbrug_stop",
    "kennisbrug_stem",
    "kennisbrug_decompound",
    "kennisbrug_synonyms",
)

#: Shingle filter defined in these settings (``shingle`` itself is server core).
SHINGLE_FILTER: Final = "kennisbrug_shingle"

_CHAINS: Final[dict[str, tuple[str, ...]]] = {
    NL_TEXT: (
        "lowercase",
        "kennisbrug_apostrophe",
        "kennisbrug_fold",
        "kennisbrug_stop",
        "kennisbrug_stem",
    ),
    NL_SEARCH: (
        "lowercase",
        "kennisbrug_apostrophe",
        "kennisbrug_fold",
        "kennisbrug_synonyms",
        "kennisbrug_stop",
        "kennisbrug_stem",
    ),
    NL_EXACT: ("lowercase", "kennisbrug_fold"),
    NL_COMPOUND: (
        "lowercase",
        "kennisbrug_fold",
        "kennisbrug_decompound",
        "kennisbrug_stop",
        "kennisbrug_stem",
    ),
    NL_SHINGLE: ("lowercase", "kennisbrug_fold", SHINGLE_FILTER),
}


def analyzer_names() -> tuple[str, ...]:
    """Every analyzer that ``analysis_settings`` defines."""
    return tuple(_CHAINS)


def analyzer_filters(name: str) -> tuple[str, ...]:
    """The token filter chain of one analyzer (after the standard tokenizer)."""
    return _CHAINS[name]


def analysis_settings() -> dict[str, Any]:
    """The ``settings.analysis`` block of a Kennisbrug index (a fresh dict each call)."""
    return {
        "filter": {
            SHINGLE_FILTER: {
                "type": "shingle",
                "min_shingle_size": 2,
                "max_shingle_size": 3,
                # Single words stay, so the suggester can correct one-word queries too.
                "output_unigrams": True,
            },
        },
        "analyzer": {
            name: {"type": "custom", "tokenizer": "standard", "filter": list(chain)}
            for name, chain in _CHAINS.items()
        },
    }
