from schema.regions import region_exists, region_name, region_valid_in, region_valid_since


def test_current_codes_exist():
    assert region_exists("410102")  # 郑州市中原区
    assert region_name("410102") == "中原区"
    assert region_exists("410000")  # the province itself


def test_unknown_code():
    assert not region_exists("419999")
    assert not region_valid_in("419999", 2010)
    assert region_name("419999") is None


def test_abolished_district_is_valid_only_until_its_last_year():
    # 崇文区 (110103) was merged into 东城区 in 2010; the bound is inclusive.
    assert region_valid_in("110103", 2009)
    assert region_valid_in("110103", 2010)
    assert not region_valid_in("110103", 2011)
    assert region_valid_since("110103", 1990)
    assert not region_valid_since("110103", 2011)


def test_code_created_later_is_valid_since_earlier_years():
    # 周口市 (411600) dates from 2000; an ID issued later to someone born in 1985 is fine.
    assert not region_valid_in("411600", 1985)
    assert region_valid_since("411600", 1985)


def test_name_by_year_picks_the_period():
    assert region_name("410108", 1990) == "邙山区"
    assert region_name("410108", 2010) == "惠济区"
