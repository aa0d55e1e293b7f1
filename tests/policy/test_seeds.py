"""Every real policy in shared/seeds reproduces expected.yaml exactly: nothing missed, nothing extra."""

from __future__ import annotations

import pytest

from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.registry import Registry
from tests.policy.conftest import SEEDS, expected_multiset, load_expected, result_multiset

EXPECTED = load_expected(SEEDS) if (SEEDS / "expected.yaml").is_file() else {}


@pytest.mark.skipif(not EXPECTED, reason=f"real policies not available at {SEEDS}")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_reproduces_expected(name: str, registry: Registry) -> None:
    result = extract_disclosures(read_policy(SEEDS / name), registry)
    got = result_multiset(result)
    want = expected_multiset(EXPECTED[name])
    assert got == want, f"missing: {dict(want - got)}; extra: {dict(got - want)}"


@pytest.mark.skipif(not EXPECTED, reason=f"real policies not available at {SEEDS}")
def test_policy_without_sdk_list_says_so(registry: Registry) -> None:
    empty = [name for name, items in EXPECTED.items() if not items]
    assert empty
    for name in empty:
        result = extract_disclosures(read_policy(SEEDS / name), registry)
        assert not result.disclosures
        assert not result.has_sdk_section


@pytest.mark.skipif(not EXPECTED, reason=f"real policies not available at {SEEDS}")
def test_field_block_fields_are_read(registry: Registry) -> None:
    """The 字段:值 seed: company, purpose, data types and URL come from the block's own lines."""
    name = next(n for n, items in EXPECTED.items() if items and len(items) > 10)
    result = extract_disclosures(read_policy(SEEDS / name), registry)
    first = result.disclosures[0]
    assert first.fields.company and first.fields.company.endswith("有限公司")
    assert first.fields.purpose
    assert first.fields.url and first.fields.url.startswith("http")
    assert "imei" in first.fields.data_types
    # every disclosure in a field-block policy carries a company and a purpose
    assert all(d.fields.company and d.fields.purpose for d in result.disclosures)
