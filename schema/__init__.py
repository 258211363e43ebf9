"""The record standard of migrant family-planning records (流动人口计划生育个案信息).

Models of versions 1 and 2 (``schema.models.v1``, ``schema.models.v2``), code tables, logic
rules, XML and JSON serialisers, validation of whole files and version conversion. This
package imports nothing else of the project.
"""

from schema.codes import (
    ChangeType,
    ContraceptionMethod,
    Department,
    MaritalStatus,
    SchemaVersion,
    Sex,
)
from schema.convert import Conversion, convert
from schema.documents import DocumentType, document_type, document_type_of, document_types
from schema.errors import (
    ConversionLoss,
    DocumentError,
    DocumentInvalid,
    MalformedDocument,
    UnknownDocument,
    YipanqiError,
)
from schema.issues import Issue, Severity
from schema.jsoncodec import dumps_json, from_json_object, loads_json, to_json_object
from schema.models import v1, v2
from schema.rules import RULES, Rule, check_batch_count, check_record, check_report, completeness
from schema.validation import FileResult, ValidationOptions, is_valid, iter_errors, validate_path
from schema.xmlcodec import dumps_xml, from_element, loads_xml, to_element
from schema.xmlsafe import parse_xml

__all__ = [
    "ChangeType",
    "ContraceptionMethod",
    "Conversion",
    "ConversionLoss",
    "Department",
    "DocumentError",
    "DocumentInvalid",
    "DocumentType",
    "FileResult",
    "Issue",
    "MalformedDocument",
    "MaritalStatus",
    "RULES",
    "Rule",
    "SchemaVersion",
    "Severity",
    "Sex",
    "UnknownDocument",
    "ValidationOptions",
    "YipanqiError",
    "check_batch_count",
    "check_record",
    "check_report",
    "completeness",
    "convert",
    "document_type",
    "document_type_of",
    "document_types",
    "dumps_json",
    "dumps_xml",
    "from_element",
    "from_json_object",
    "is_valid",
    "iter_errors",
    "loads_json",
    "loads_xml",
    "parse_xml",
    "to_element",
    "to_json_object",
    "v1",
    "v2",
    "validate_path",
]
