"""The personal-data vocabulary reads real policy phrasings (our own wording in the styles of the
policies named in vocabulary_cases.yaml) onto the right ids, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sdkreg.policy.datatypes import DataTypeMatcher
from sdkreg.registry import Registry

CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (Path(__file__).with_name("vocabulary_cases.yaml")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher(registry: Registry) -> DataTypeMatcher:
    return DataTypeMatcher(registry)


def test_cases_model_at_least_fifteen_real_policies() -> None:
    assert len({case["model"] for case in CASES["cases"]}) >= 15


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["text"][:24])
def test_policy_phrasings_map_to_vocabulary_ids(matcher: DataTypeMatcher, case: dict[str, Any]) -> None:
    assert set(matcher.find(case["text"])) == set(case["expect"])


@pytest.mark.parametrize("case", CASES["traps"], ids=lambda c: c["text"][:24])
def test_lookalike_text_is_not_personal_data(matcher: DataTypeMatcher, case: dict[str, Any]) -> None:
    assert set(matcher.find(case["text"])) == set(case["expect"])


def test_every_expected_id_exists(registry: Registry) -> None:
    used = {t for group in CASES.values() for case in group for t in case["expect"]}
    assert used - set(registry.data_types) == set()


def test_every_identifier_is_under_device_identifiers(registry: Registry) -> None:
    identifiers = ("imei", "meid", "imsi", "iccid", "serial", "android-id", "oaid", "aaid", "vaid",
                   "advertising-id", "idfv", "generated-id", "mac")
    for type_id in identifiers:
        assert registry.data_type_ancestors(type_id)[-1] == "device-identifiers", type_id
    for type_id in ("ip-address", "wifi-info", "cell-info", "carrier", "network-type", "sim-info"):
        assert registry.data_type_ancestors(type_id)[-1] == "network-info", type_id


def test_no_wording_is_claimed_by_two_types(registry: Registry) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for data_type in registry.data_types.values():
        for wording in (*data_type.wordings, *data_type.not_wordings):
            key = "".join(wording.split()).replace("-", "").casefold()
            if key in seen and seen[key] != data_type.id:
                clashes.append((wording, seen[key], data_type.id))
            seen.setdefault(key, data_type.id)
    assert clashes == []
