import datetime as dt

import pytest

from schema.rules._frame import age_on


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (dt.date(1985, 3, 12), dt.date(2005, 3, 11), 19),
        (dt.date(1985, 3, 12), dt.date(2005, 3, 12), 20),
        (dt.date(1988, 2, 29), dt.date(2008, 2, 28), 19),
        (dt.date(1988, 2, 29), dt.date(2008, 2, 29), 20),
        (dt.date(1988, 2, 29), dt.date(2009, 2, 28), 20),
        (dt.date(1988, 2, 29), dt.date(2009, 3, 1), 21),
        (dt.date(1985, 3, 12), dt.date(1985, 3, 12), 0),
    ],
)
def test_age_on(birth: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth, day) == age
