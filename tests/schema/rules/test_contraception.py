"""contraception.sex."""

import pytest

from schema.rules import check_record

from ._build import MAN_ID, TODAY, VERSIONS, found, record

MAN = {
    "idNumber": MAN_ID,
    "name": "李建国",
    "sex": "1",
    "birthDate": "1983-07-01",
    "spouse": {"name": "王秀英"},
}


def _method(method: str) -> dict[str, str]:
    return {"method": method, "since": "2009-09-01"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("method", ["02", "03", "04", "05"])
def test_female_method_on_a_mans_record(version: str, method: str) -> None:
    issues = check_record(record(version, **MAN, contraception=_method(method)), today=TODAY)
    assert found(issues) == [("contraception.sex", "error", "contraception.method")]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("method", ["02", "03", "04", "05"])
def test_female_method_on_unknown_sex(version: str, method: str) -> None:
    issues = check_record(record(version, sex="9", contraception=_method(method)), today=TODAY)
    assert found(issues) == [("contraception.sex", "error", "contraception.method")]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("method", ["00", "01", "06", "07", "08"])
def test_other_methods_on_a_mans_record(version: str, method: str) -> None:
    issues = check_record(record(version, **MAN, contraception=_method(method)), today=TODAY)
    assert found(issues) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("method", ["01", "02", "03", "04", "05", "06"])
def test_any_method_on_a_womans_record(version: str, method: str) -> None:
    assert check_record(record(version, contraception=_method(method)), today=TODAY) == []
