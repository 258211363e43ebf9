"""Department adapters: each department's export format → department notices (部门通报).

One module per department (``ga``, ``mz``, ``ws``, ``rs``, ``jy``, ``gs``, ``fg``), each an
:class:`Adapter`, found through the entry-point group ``yipanqi.adapters``::

    adapter = get_adapter("ga")
    with open(path, "rb") as stream:
        run = ExportImport(adapter, stream, path)
        for item in run:          # Taken (a row and its notices) or RowError (refused row)
            ...
        run.summary               # rows read, notices made, refused by rule

:class:`EncodedImport` does the same on every core for a large CSV or fixed-width file,
giving the notices already encoded for the outputs.

Row error ids are listed in ``adapters/README.md``. This package imports ``schema`` only.
"""

from adapters._parallel import Encoded, EncodedImport, Encoder
from adapters._protocol import (
    Adapter,
    ExportReader,
    NoticeDraft,
    RejectsWriter,
    Row,
    RowError,
)
from adapters._registry import GROUP, AdapterWarning, adapters, get_adapter
from adapters._run import (
    ExportImport,
    ImportSummary,
    Taken,
    identify,
    notice_id,
    readable_name,
)
from adapters.errors import (
    AdapterError,
    AdapterNotFound,
    ExportUnreadable,
    ImportWorkerLost,
    RowRefused,
)

__all__ = [
    "Adapter",
    "AdapterError",
    "AdapterNotFound",
    "AdapterWarning",
    "Encoded",
    "EncodedImport",
    "Encoder",
    "ExportImport",
    "ExportReader",
    "ExportUnreadable",
    "GROUP",
    "ImportSummary",
    "ImportWorkerLost",
    "NoticeDraft",
    "RejectsWriter",
    "Row",
    "RowError",
    "RowRefused",
    "Taken",
    "adapters",
    "get_adapter",
    "identify",
    "notice_id",
    "readable_name",
]
