"""The rule catalogue of DESIGN §3: stable ids, severities and titles, and the issue factory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from schema.issues import Issue, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the standard (逻辑校验): its stable id, severity and titles."""

    id: str
    severity: Severity
    title_zh: str
    title_en: str


_E = Severity.ERROR
_W = Severity.WARNING

_ALL = (
    Rule(
        "schema",
        _E,
        "文档符合所属版本的 XSD / JSON Schema",
        "The document is valid against its version's XSD / JSON Schema",
    ),
    Rule("id.format", _E, "公民身份号码格式", "Citizen ID number format"),
    Rule("id.checksum", _W, "公民身份号码校验码", "Citizen ID number check character"),
    Rule(
        "id.birthdate",
        _E,
        "公民身份号码与出生日期一致",
        "Citizen ID number agrees with the date of birth",
    ),
    Rule("id.sex", _E, "公民身份号码与性别一致", "Citizen ID number agrees with the sex"),
    Rule("region.unknown", _E, "行政区划代码有效", "Region code is known and in force"),
    Rule("marriage.date-missing", _E, "已婚者有结婚日期", "A married person has a marriage date"),
    Rule(
        "marriage.unexpected",
        _E,
        "未婚者无结婚日期和配偶",
        "An unmarried person has no marriage date and no spouse",
    ),
    Rule("marriage.age", _W, "结婚年龄", "Age at marriage"),
    Rule("child.before-parent", _E, "子女出生晚于本人", "Every child is born after the person"),
    Rule("child.mother-age", _W, "生育年龄", "Mother's age at each birth"),
    Rule("child.order", _E, "孩次连续且与出生顺序一致", "Birth orders run 1..n in order of birth"),
    Rule(
        "contraception.sex",
        _E,
        "避孕节育措施与性别一致",
        "Contraception method agrees with the sex",
    ),
    Rule(
        "certificate.dates",
        _E,
        "婚育证明发证日期早于有效期",
        "Certificate issue date is before its expiry date",
    ),
    Rule("employer.code", _E, "单位代码校验", "Employer codes are well formed"),
    Rule("dates.future", _E, "日期不晚于填报时间", "No date lies in the future"),
    Rule(
        "dates.order",
        _E,
        "出生、流入、流出日期顺序",
        "Birth, arrival and departure dates are in order",
    ),
    Rule("report.fields", _E, "变更类型所需字段", "Fields the change type requires"),
    Rule("batch.count", _E, "报告单数与实际一致", "Report count matches the reports"),
    Rule(
        "text.lost",
        _W,
        "姓名、地址中无编码转换丢失的字符",
        "No name or address holds characters lost in an encoding conversion (U+FFFD)",
    ),
)

#: Every rule of the standard by id.
RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _ALL})


def issue(rule: str, path: str, message_zh: str, message_en: str) -> Issue:
    """A finding of ``rule`` at ``path``, with the rule's severity."""
    return Issue(rule, RULES[rule].severity, path, message_zh, message_en)
