"""Version 2 of the record standard (``urn:yipanqi:mfp:2``).

It reflects the 2015–2016 reforms: the unified social credit code (GB 32100) beside the
organisation code, and birth registration (生育登记); the certificate stays as legacy.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ConfigDict, Field

from schema.codes import ChangeType
from schema.models._base import StandardModel, doc
from schema.models._types import (
    Address,
    Count,
    CreditCode,
    Date,
    DateTime,
    Department,
    DocumentNumber,
    EducationLevel,
    Ethnicity,
    IdNumber,
    MaritalStatus,
    OrganisationName,
    OrgCode,
    PersonName,
    Phone,
    RegionCode,
    Remarks,
    Sex,
    Token,
)
from schema.models.v1 import (
    BatchHeader,
    Certificate,
    Child,
    Contraception,
    NoticeSource,
    NoticeSubject,
    ReportingUnit,
    Spouse,
)

VERSION = "2"


class BirthRegistration(StandardModel):
    """Birth registration (生育登记), which replaced the certificate."""

    model_config = ConfigDict(title="生育登记")
    number: DocumentNumber = doc("登记编号", "Registration number")
    registered_on: Date = doc("登记日期", "Date of registration")
    registering_region: RegionCode = doc("登记地行政区划代码", "Registering region (GB/T 2260)")


class Employer(StandardModel):
    """The person's employer."""

    model_config = ConfigDict(title="工作单位")
    name: OrganisationName = doc("单位名称", "Employer name")
    org_code: OrgCode | None = doc(
        "组织机构代码 (GB 11714)", "Organisation code (GB 11714, XXXXXXXX-X)", default=None
    )
    credit_code: CreditCode | None = doc(
        "统一社会信用代码 (GB 32100)", "Unified social credit code (GB 32100)", default=None
    )


class PersonRecord(StandardModel):
    """The individual case record of a migrant (个案信息)."""

    model_config = ConfigDict(title="个案信息")
    list_items: ClassVar[dict[str, str]] = {"children": "child"}

    id_number: IdNumber = doc("公民身份号码 (GB 11643)", "Citizen ID number (GB 11643)")
    name: PersonName = doc("姓名", "Name")
    sex: Sex = doc("性别 (GB/T 2261.1)", "Sex (GB/T 2261.1)")
    birth_date: Date = doc("出生日期", "Date of birth")
    ethnicity: Ethnicity | None = doc("民族 (GB/T 3304)", "Ethnicity (GB/T 3304)", default=None)
    education: EducationLevel | None = doc(
        "文化程度 (GB/T 4658)", "Education (GB/T 4658)", default=None
    )
    hukou_region: RegionCode = doc("户籍地行政区划代码", "Registration place (GB/T 2260)")
    hukou_address: Address | None = doc("户籍地详细地址", "Registration address", default=None)
    residence_region: RegionCode = doc("现居住地行政区划代码", "Current residence (GB/T 2260)")
    residence_address: Address = doc("现居住地详细地址", "Current residence address")
    inflow_date: Date | None = doc("流入日期", "Date of arrival at the residence", default=None)
    outflow_date: Date | None = doc("流出日期", "Date of departure", default=None)
    marital_status: MaritalStatus = doc("婚姻状况 (GB/T 2261.2)", "Marital status (GB/T 2261.2)")
    marriage_date: Date | None = doc("结婚日期", "Date of marriage", default=None)
    spouse: Spouse | None = doc("配偶", "Spouse", default=None)
    children: list[Child] | None = doc("子女", "Children", default=None, min_length=1)
    contraception: Contraception | None = doc("避孕节育", "Contraception", default=None)
    certificate: Certificate | None = doc(
        "婚育证明 (历史)", "Marriage-and-childbearing certificate (legacy)", default=None
    )
    birth_registration: BirthRegistration | None = doc("生育登记", "Birth registration",
                                                       default=None)
    employer: Employer | None = doc("工作单位", "Employer", default=None)
    phone: Phone | None = doc("联系电话", "Telephone", default=None)


RecordField = Literal[
    "idNumber", "name", "sex", "birthDate", "ethnicity", "education", "hukouRegion",
    "hukouAddress", "residenceRegion", "residenceAddress", "inflowDate", "outflowDate",
    "maritalStatus", "marriageDate", "spouse", "children", "contraception", "certificate",
    "birthRegistration", "employer", "phone",
]


class ChangeReport(StandardModel):
    """An information change report (信息变更报告单)."""

    model_config = ConfigDict(title="信息变更报告单")
    list_items: ClassVar[dict[str, str]] = {"changedFields": "field"}

    report_id: Token = doc("报告单编号", "Report id")
    change_type: ChangeType = doc("变更类型", "Change type")
    effective_date: Date = doc("变更生效日期", "Date the change took effect")
    reported_at: DateTime = doc("填报时间", "Time of reporting (RFC 3339 with offset)")
    reporting_unit: ReportingUnit = doc("填报单位", "Reporting unit")
    base_version: Count = doc(
        "基准版本", "Record version the reporter last saw", default=0
    )
    changed_fields: list[RecordField] | None = doc(
        "变更字段", "Names of the record fields that changed", default=None, min_length=1
    )
    record: PersonRecord = doc("变更后个案信息", "The full record after the change")
    remarks: Remarks | None = doc("备注", "Remarks", default=None)


class ChangeReportBatch(BatchHeader):
    """The monthly file of change reports (月报批次)."""

    model_config = ConfigDict(title="信息变更报告单批次")
    list_items: ClassVar[dict[str, str]] = {"reports": "report"}
    reports: list[ChangeReport] = Field(
        title="报告单", description="The change reports", min_length=1
    )


class NoticeRecord(StandardModel):
    """The record fields a department knows: a partial PersonRecord, every field optional."""

    model_config = ConfigDict(title="部门掌握的个案信息")
    list_items: ClassVar[dict[str, str]] = {"children": "child"}

    id_number: IdNumber | None = doc("公民身份号码 (GB 11643)", "Citizen ID number (GB 11643)",
                                     default=None)
    name: PersonName | None = doc("姓名", "Name", default=None)
    sex: Sex | None = doc("性别 (GB/T 2261.1)", "Sex (GB/T 2261.1)", default=None)
    birth_date: Date | None = doc("出生日期", "Date of birth", default=None)
    ethnicity: Ethnicity | None = doc("民族 (GB/T 3304)", "Ethnicity (GB/T 3304)", default=None)
    education: EducationLevel | None = doc(
        "文化程度 (GB/T 4658)", "Education (GB/T 4658)", default=None
    )
    hukou_region: RegionCode | None = doc("户籍地行政区划代码", "Registration place (GB/T 2260)",
                                          default=None)
    hukou_address: Address | None = doc("户籍地详细地址", "Registration address", default=None)
    residence_region: RegionCode | None = doc("现居住地行政区划代码",
                                              "Current residence (GB/T 2260)", default=None)
    residence_address: Address | None = doc("现居住地详细地址", "Current residence address",
                                            default=None)
    inflow_date: Date | None = doc("流入日期", "Date of arrival at the residence", default=None)
    outflow_date: Date | None = doc("流出日期", "Date of departure", default=None)
    marital_status: MaritalStatus | None = doc("婚姻状况 (GB/T 2261.2)",
                                               "Marital status (GB/T 2261.2)", default=None)
    marriage_date: Date | None = doc("结婚日期", "Date of marriage", default=None)
    spouse: Spouse | None = doc("配偶", "Spouse", default=None)
    children: list[Child] | None = doc("子女", "Children", default=None, min_length=1)
    contraception: Contraception | None = doc("避孕节育", "Contraception", default=None)
    certificate: Certificate | None = doc(
        "婚育证明 (历史)", "Marriage-and-childbearing certificate (legacy)", default=None
    )
    birth_registration: BirthRegistration | None = doc("生育登记", "Birth registration",
                                                       default=None)
    employer: Employer | None = doc("工作单位", "Employer", default=None)
    phone: Phone | None = doc("联系电话", "Telephone", default=None)


class DepartmentNotice(StandardModel):
    """What a department's record says about one person (部门通报), for the gateway to match."""

    model_config = ConfigDict(title="部门通报")

    notice_id: Token = doc("通报编号", "Notice id, derived from the notice's content")
    department: Department = doc("通报部门代码", "Department that made the notice")
    region: RegionCode = doc("通报部门行政区划代码", "Region of the department's office")
    change_type: ChangeType = doc("变更类型", "Change type")
    effective_date: Date = doc("变更生效日期", "Date the change took effect")
    source: NoticeSource = doc("通报来源", "Source file and row, or record number")
    subject: NoticeSubject = doc("通报对象", "The person the notice is about")
    record: NoticeRecord = doc("部门掌握的个案信息", "The record fields the department knows")


__all__ = [
    "BatchHeader",
    "BirthRegistration",
    "Certificate",
    "ChangeReport",
    "ChangeReportBatch",
    "Child",
    "Contraception",
    "DepartmentNotice",
    "Employer",
    "NoticeRecord",
    "NoticeSource",
    "NoticeSubject",
    "PersonRecord",
    "ReportingUnit",
    "Spouse",
]
