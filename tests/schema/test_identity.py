import datetime as dt
import random

import pytest

from schema.identity import (
    credit_code_ok,
    id_birth_date,
    id_check_character,
    id_checksum_ok,
    id_format_ok,
    id_region_ok,
    id_sex_digit_ok,
    org_code_check_character,
    org_code_from_credit_code,
    org_code_ok,
    upgrade_id15,
    well_formed_birth_date,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_check_character_of_the_standard_example():
    assert id_check_character("11010519491231002") == "X"
    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")


def test_check_character_matches_the_weighted_sum_definition():
    rng = random.Random(7)
    for _ in range(2000):
        digits = "".join(rng.choice("0123456789") for _ in range(17))
        total = sum(int(c) * w for c, w in zip(digits, WEIGHTS, strict=True))
        assert id_check_character(digits) == "10X98765432"[total % 11]


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("11010519491231002X", True),
        ("110105194902301234", False),  # 30 February
        ("11010519491231002", False),
        ("1101051949123100２X", False),  # a full-width digit
        ("11010519491231002x", False),
    ],
)
def test_format(number, ok):
    assert id_format_ok(number) is ok
    assert (well_formed_birth_date(number) is not None) is ok


def test_a_well_formed_number_gives_its_date_segment():
    assert well_formed_birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert well_formed_birth_date("110105194912310021") == dt.date(1949, 12, 31)  # checksum aside
    assert well_formed_birth_date("11010519491231002") is None


def test_birth_date_and_sex_digit():
    assert str(id_birth_date("11010519491231002X")) == "1949-12-31"
    assert id_sex_digit_ok("11010519491231002X", "2")  # 2 is even: a woman
    assert not id_sex_digit_ok("11010519491231002X", "1")
    assert id_sex_digit_ok("11010519491231002X", "9")


def test_region_of_an_id_may_postdate_the_birth_year():
    assert id_region_ok("411600198501010012")  # 周口市 from 2000, holder born 1985
    assert not id_region_ok("419999198501010012")


def test_upgrade_legacy_15_digit_number():
    assert upgrade_id15("110105491231002") == "11010519491231002X"
    with pytest.raises(ValueError):
        upgrade_id15("11010549123100")


def test_organisation_code():
    assert org_code_check_character("60003734") == "1"
    assert org_code_ok("60003734-1")
    assert not org_code_ok("60003734-2")
    assert not org_code_ok("600037341")


def test_credit_code_and_its_embedded_organisation_code():
    assert credit_code_ok("91110000600037341L")
    assert not credit_code_ok("91110000600037341M")
    assert not credit_code_ok("91110000600037341l")
    assert org_code_from_credit_code("91110000600037341L") == "60003734-1"
