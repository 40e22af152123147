"""zhenggai's domain layer: records, validation, the shared database and queries.

Knows nothing of Textual, Rich or python-docx (tests/test_import_hygiene.py).
"""

from .database import SCHEMA_VERSION, Database
from .errors import (
    ConflictError,
    DamagedDatabaseError,
    NotFoundError,
    RuleError,
    StorageError,
    ValidationError,
    ZhenggaiError,
)
from .paths import resolve_db_path

__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "DamagedDatabaseError",
    "Database",
    "NotFoundError",
    "RuleError",
    "StorageError",
    "ValidationError",
    "ZhenggaiError",
    "resolve_db_path",
]
