"""Version 1 of the record standard: the 2010 form (``urn:yipanqi:mfp:1``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ConfigDict, Field

from schema.codes import ChangeType
from schema.models._base import StandardModel, doc
from schema.models._types import (
    Address,
    ContraceptionMethod,
    Count,
    Date,
    DateTime,
    Department,
    DocumentNumber,
    EducationLevel,
    Ethnicity,
    IdNumber,
    MaritalStatus,
    Order,
    OrganisationName,
    OrgCode,
    Period,
    PersonName,
    Phone,
    RegionCode,
    Remarks,
    Sex,
    Token,
)

VERSION = "1"


class Spouse(StandardModel):
    """The spouse of the person."""

    model_config = ConfigDict(title="配偶")
    id_number: IdNumber | None = doc("配偶公民身份号码", "Spouse's citizen ID number", default=None)
    name: PersonName = doc("配偶姓名", "Spouse's name")


class Child(StandardModel):
    """A child of the person."""

    model_config = ConfigDict(title="子女")
    name: PersonName | None = doc("子女姓名", "Child's name", default=None)
    sex: Sex = doc("子女性别 (GB/T 2261.1)", "Child's sex (GB/T 2261.1)")
    birth_date: Date = doc("子女出生日期", "Child's date of birth")
    birth_order: Order = doc("孩次", "Birth order, from 1")
    id_number: IdNumber | None = doc("子女公民身份号码", "Child's citizen ID number", default=None)


class Contraception(StandardModel):
    """The contraceptive measure in use."""

    model_config = ConfigDict(title="避孕节育情况")
    method: ContraceptionMethod = doc("避孕节育措施代码", "Contraception method code")
    since: Date = doc("落实日期", "In use since")


class Certificate(StandardModel):
    """The migrants' marriage-and-childbearing certificate (婚育证明)."""

    model_config = ConfigDict(title="流动人口婚育证明")
    number: DocumentNumber = doc("证明编号", "Certificate number")
    issuing_region: RegionCode = doc("发证地行政区划代码", "Issuing region (GB/T 2260)")
    issue_date: Date = doc("发证日期", "Date of issue")
    expiry_date: Date = doc("有效期至", "Valid until")


class Employer(StandardModel):
    """The person's employer."""

    model_config = ConfigDict(title="工作单位")
    name: OrganisationName = doc("单位名称", "Employer name")
    org_code: OrgCode | None = doc(
        "组织机构代码 (GB 11714)", "Organisation code (GB 11714, XXXXXXXX-X)", default=None
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
    certificate: Certificate | None = doc("婚育证明", "Marriage-and-childbearing certificate",
                                          default=None)
    employer: Employer | None = doc("工作单位", "Employer", default=None)
    phone: Phone | None = doc("联系电话", "Telephone", default=None)


RecordField = Literal[
    "idNumber", "name", "sex", "birthDate", "ethnicity", "education", "hukouRegion",
    "hukouAddress", "residenceRegion", "residenceAddress", "inflowDate", "outflowDate",
    "maritalStatus", "marriageDate", "spouse", "children", "contraception", "certificate",
    "employer", "phone",
]
ChangeTypeV1 = Literal[
    ChangeType.INFLOW, ChangeType.OUTFLOW, ChangeType.RETURN, ChangeType.RESIDENCE_CHANGE,
    ChangeType.MARITAL_CHANGE, ChangeType.BIRTH, ChangeType.CONTRACEPTION_CHANGE,
    ChangeType.CERTIFICATE_CHANGE, ChangeType.EMPLOYER_CHANGE, ChangeType.CORRECTION,
    ChangeType.DEATH, ChangeType.CANCELLATION,
]


class ReportingUnit(StandardModel):
    """The unit that filed the report."""

    model_config = ConfigDict(title="填报单位")
    region: RegionCode = doc("填报单位行政区划代码", "Region of the reporting unit")
    department: Department = doc("部门代码", "Department code")


class ChangeReport(StandardModel):
    """An information change report (信息变更报告单)."""

    model_config = ConfigDict(title="信息变更报告单")
    list_items: ClassVar[dict[str, str]] = {"changedFields": "field"}

    report_id: Token = doc("报告单编号", "Report id")
    change_type: ChangeTypeV1 = doc("变更类型", "Change type")
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


class BatchHeader(StandardModel):
    """The header of a monthly batch, without its reports."""

    model_config = ConfigDict(title="报告单批次头")
    batch_id: Token = doc("批次编号", "Batch id")
    period: Period = doc("报告期 (YYYY-MM)", "Reporting period (YYYY-MM)")
    reporting_unit: ReportingUnit = doc("填报单位", "Reporting unit")
    report_count: Count = doc("报告单数", "Number of reports in the batch")


class ChangeReportBatch(BatchHeader):
    """The monthly file of change reports (月报批次)."""

    model_config = ConfigDict(title="信息变更报告单批次")
    list_items: ClassVar[dict[str, str]] = {"reports": "report"}
    reports: list[ChangeReport] = Field(
        title="报告单", description="The change reports", min_length=1
    )


class NoticeSource(StandardModel):
    """Where a notice comes from: the export file and row, and the department's record number."""

    model_config = ConfigDict(title="通报来源")
    file: OrganisationName = doc(
        "来源文件名", "Name of the department's export file (1-100 characters)"
    )
    row: Order = doc("行号", "Line of the file where the row or record starts, from 1")
    record_number: DocumentNumber | None = doc(
        "部门记录编号", "The department's own record number", default=None
    )


class NoticeSubject(StandardModel):
    """The person a notice is about."""

    model_config = ConfigDict(title="通报对象")
    id_number: IdNumber = doc("公民身份号码 (GB 11643)", "Citizen ID number (GB 11643)")
    name: PersonName = doc("姓名", "Name")


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
    certificate: Certificate | None = doc("婚育证明", "Marriage-and-childbearing certificate",
                                          default=None)
    employer: Employer | None = doc("工作单位", "Employer", default=None)
    phone: Phone | None = doc("联系电话", "Telephone", default=None)


class DepartmentNotice(StandardModel):
    """What a department's record says about one person (部门通报), for the gateway to match."""

    model_config = ConfigDict(title="部门通报")

    notice_id: Token = doc("通报编号", "Notice id, derived from the notice's content")
    department: Department = doc("通报部门代码", "Department that made the notice")
    region: RegionCode = doc("通报部门行政区划代码", "Region of the department's office")
    change_type: ChangeTypeV1 = doc("变更类型", "Change type")
    effective_date: Date = doc("变更生效日期", "Date the change took effect")
    source: NoticeSource = doc("通报来源", "Source file and row, or record number")
    subject: NoticeSubject = doc("通报对象", "The person the notice is about")
    record: NoticeRecord = doc("部门掌握的个案信息", "The record fields the department knows")
