import pytest

from schema.codes import SchemaVersion
from schema.documents import (
    document_type,
    document_type_for_tag,
    document_type_of,
    document_types,
)
from schema.errors import UnknownDocument
from schema.models import v1, v2


def test_document_types_of_each_version():
    assert {t.name for t in document_types(SchemaVersion.V1)} == {
        "PersonRecord", "ChangeReport", "ChangeReportBatch", "DepartmentNotice", "Receipt"}
    assert len(document_types()) == 10


def test_lookup_by_name_tag_and_instance():
    doc_type = document_type("ChangeReport", "2")
    assert doc_type.model is v2.ChangeReport
    assert doc_type.tag == "{urn:yipanqi:mfp:2}ChangeReport"
    assert document_type_for_tag("{urn:yipanqi:mfp:1}PersonRecord").model is v1.PersonRecord
    assert doc_type.report_model is v2.ChangeReport
    assert document_type("ChangeReportBatch", "1").header_model is v1.BatchHeader


def test_v2_models_are_told_apart_from_v1():
    record = v2.PersonRecord.model_validate({
        "idNumber": "11010519491231002X", "name": "王秀英", "sex": "2",
        "birthDate": "1949-12-31", "hukouRegion": "110105", "residenceRegion": "410102",
        "residenceAddress": "郑州市", "maritalStatus": "90"})
    assert document_type_of(record).version is SchemaVersion.V2


@pytest.mark.parametrize(("name", "version"), [("PendingItem", "2"), ("PersonRecord", "3")])
def test_unknown(name, version):
    with pytest.raises(UnknownDocument):
        document_type(name, version)


def test_unknown_tag():
    with pytest.raises(UnknownDocument):
        document_type_for_tag("{urn:other}PersonRecord")
