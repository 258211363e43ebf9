"""Code tables of the record standard (DESIGN §3), with Chinese and English labels."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class _Coded(StrEnum):
    """A code whose value is what goes on the wire; labels are for people."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core_schema)
        schema["description"] = (cls.__doc__ or cls.__name__).strip() + " " + "; ".join(
            f"{c.value} {c.label_zh} {c.label_en}" for c in cls
        )
        return schema

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


class SchemaVersion(StrEnum):
    V1 = "1"
    V2 = "2"

    @property
    def namespace(self) -> str:
        return f"urn:yipanqi:mfp:{self.value}"


class Sex(_Coded):
    """GB/T 2261.1."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSTATED = "9"


class MaritalStatus(_Coded):
    """GB/T 2261.2."""

    UNMARRIED = "10"
    MARRIED = "20"
    FIRST_MARRIAGE = "21"
    REMARRIED = "22"
    RESUMED = "23"
    WIDOWED = "30"
    DIVORCED = "40"
    UNSTATED = "90"

    @property
    def is_married(self) -> bool:
        return self.value in {"20", "21", "22", "23"}


class ContraceptionMethod(_Coded):
    NONE = "00"
    MALE_STERILISATION = "01"
    FEMALE_STERILISATION = "02"
    IUD = "03"
    IMPLANT = "04"
    PILL_OR_INJECTION = "05"
    CONDOM = "06"
    SPERMICIDE = "07"
    OTHER = "08"

    @property
    def is_female_method(self) -> bool:
        return self.value in {"02", "03", "04", "05"}


class Department(_Coded):
    RKJS = "RKJS"
    GA = "GA"
    MZ = "MZ"
    WS = "WS"
    RS = "RS"
    JY = "JY"
    GS = "GS"
    FG = "FG"


class ChangeType(_Coded):
    """All change types; version 1 knows all but :attr:`BIRTH_REGISTRATION`."""

    INFLOW = "INFLOW"
    OUTFLOW = "OUTFLOW"
    RETURN = "RETURN"
    RESIDENCE_CHANGE = "RESIDENCE_CHANGE"
    MARITAL_CHANGE = "MARITAL_CHANGE"
    BIRTH = "BIRTH"
    CONTRACEPTION_CHANGE = "CONTRACEPTION_CHANGE"
    CERTIFICATE_CHANGE = "CERTIFICATE_CHANGE"
    EMPLOYER_CHANGE = "EMPLOYER_CHANGE"
    CORRECTION = "CORRECTION"
    DEATH = "DEATH"
    CANCELLATION = "CANCELLATION"
    BIRTH_REGISTRATION = "BIRTH_REGISTRATION"


V1_CHANGE_TYPES: tuple[ChangeType, ...] = tuple(
    c for c in ChangeType if c is not ChangeType.BIRTH_REGISTRATION
)

_LABELS: dict[Enum, tuple[str, str]] = {
    Sex.UNKNOWN: ("未知的性别", "unknown"),
    Sex.MALE: ("男性", "male"),
    Sex.FEMALE: ("女性", "female"),
    Sex.UNSTATED: ("未说明的性别", "not stated"),
    MaritalStatus.UNMARRIED: ("未婚", "unmarried"),
    MaritalStatus.MARRIED: ("已婚", "married"),
    MaritalStatus.FIRST_MARRIAGE: ("初婚", "first marriage"),
    MaritalStatus.REMARRIED: ("再婚", "remarried"),
    MaritalStatus.RESUMED: ("复婚", "remarried to former spouse"),
    MaritalStatus.WIDOWED: ("丧偶", "widowed"),
    MaritalStatus.DIVORCED: ("离婚", "divorced"),
    MaritalStatus.UNSTATED: ("未说明的婚姻状况", "not stated"),
    ContraceptionMethod.NONE: ("未避孕", "none"),
    ContraceptionMethod.MALE_STERILISATION: ("男性绝育", "male sterilisation"),
    ContraceptionMethod.FEMALE_STERILISATION: ("女性绝育", "female sterilisation"),
    ContraceptionMethod.IUD: ("宫内节育器", "intrauterine device"),
    ContraceptionMethod.IMPLANT: ("皮下埋植", "implant"),
    ContraceptionMethod.PILL_OR_INJECTION: ("口服或注射避孕药", "pill or injection"),
    ContraceptionMethod.CONDOM: ("避孕套", "condom"),
    ContraceptionMethod.SPERMICIDE: ("外用杀精剂", "spermicide"),
    ContraceptionMethod.OTHER: ("其他", "other"),
    Department.RKJS: ("人口和计划生育", "population and family planning"),
    Department.GA: ("公安", "public security"),
    Department.MZ: ("民政", "civil affairs"),
    Department.WS: ("卫生", "health"),
    Department.RS: ("人力资源和社会保障", "human resources and social security"),
    Department.JY: ("教育", "education"),
    Department.GS: ("工商", "industry and commerce"),
    Department.FG: ("房管", "housing"),
    ChangeType.INFLOW: ("流入", "arrival"),
    ChangeType.OUTFLOW: ("流出", "departure"),
    ChangeType.RETURN: ("返回", "return"),
    ChangeType.RESIDENCE_CHANGE: ("居住地变更", "change of residence"),
    ChangeType.MARITAL_CHANGE: ("婚姻变更", "change of marital status"),
    ChangeType.BIRTH: ("生育", "birth"),
    ChangeType.CONTRACEPTION_CHANGE: ("避孕节育变更", "change of contraception"),
    ChangeType.CERTIFICATE_CHANGE: ("婚育证明变更", "change of certificate"),
    ChangeType.EMPLOYER_CHANGE: ("工作单位变更", "change of employer"),
    ChangeType.CORRECTION: ("更正", "correction"),
    ChangeType.DEATH: ("死亡", "death"),
    ChangeType.CANCELLATION: ("注销", "cancellation"),
    ChangeType.BIRTH_REGISTRATION: ("生育登记", "birth registration"),
}
