"""Names resolve to entities through labels and aliases; unknown and ambiguous names are clear errors."""

from __future__ import annotations

import pytest

from kgraph.resolve import AmbiguousEntityError, EntityIndex, UnknownEntityError, fold

SENSETIME = "https://w3id.org/kgraph/id/sensetime"


@pytest.fixture(scope="module")
def index(seed_store) -> EntityIndex:
    return EntityIndex.from_store(seed_store)


@pytest.mark.parametrize("name", ["SenseTime", "sensetime", "SENSETIME", "SenseTime Group", "商汤科技", SENSETIME])
def test_labels_aliases_and_iris_resolve(index, name):
    assert index.resolve(name).iri == SENSETIME


def test_folding_ignores_case_punctuation_and_legal_suffixes():
    assert fold("Beijing Zhipu Huazhang Technology Co., Ltd.") == "beijing zhipu huazhang"
    assert fold("SenseTime Group Inc.") == fold("sensetime")
    assert fold("Group") == "group"  # a name that is only a suffix is kept


def test_label_comes_first(index):
    candidate = index.resolve("SCG")
    assert candidate.label == "Smart City and Business Group"
    assert candidate.types == ("BusinessUnit",)


def test_unknown_name_suggests_close_matches(index):
    with pytest.raises(UnknownEntityError) as caught:
        index.resolve("Sensetme")
    assert caught.value.suggestions == ["SenseTime"]


def test_types_narrow_the_search(index):
    assert index.lookup("SenseNova", types=["Company"]) == []
    assert index.resolve("SenseNova", types=["LargeLanguageModel"]).label == "SenseNova"


def test_ambiguous_names_list_the_candidates():
    index = EntityIndex(
        [
            ("urn:a", "Apollo", True, "https://w3id.org/kgraph/ontology#Company"),
            ("urn:b", "Apollo", True, "https://w3id.org/kgraph/ontology#LargeLanguageModel"),
        ]
    )
    with pytest.raises(AmbiguousEntityError) as caught:
        index.resolve("apollo")
    assert [c.iri for c in caught.value.candidates] == ["urn:a", "urn:b"]
    assert "urn:a" in str(caught.value) and "urn:b" in str(caught.value)


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL ; {"', "x\ny", "<script>", ""])
def test_hostile_names_find_nothing(index, hostile):
    with pytest.raises(UnknownEntityError):
        index.resolve(hostile)
