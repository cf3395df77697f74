"""libstats: corpus statistics (frequencies, n-grams, ...) over a C core with a stable ABI.

    import libstats as ls
    corpus = ls.Corpus.from_files("articles/", encoding="auto")
    corpus.frequencies().top(20).to_pandas()
"""

from ._ffi import lib as _lib, s as _s
from . import datasets
from .corpus import Corpus
from .errors import (
    BufferTooSmallError,
    CanceledError,
    EncodingError,
    FormatError,
    GzipError,
    ICUError,
    InvalidArgumentError,
    LibstatsError,
    LibstatsIOError,
    LibstatsMemoryError,
    NotFoundError,
    RangeError,
    StateError,
    VersionError,
)
from .tables import Table, load_table, read_frequency_list
from .keyness import keyness, keyness_docs
from . import scripts
from . import dispersion
from .kwic import Concordance

__version__ = "0.1.0"
#: The version of the C library in use (equal to __version__ in a consistent install).
__c_version__ = _s(_lib.lstats_version_string())
#: The ICU version segmentation runs with (results can differ between ICU releases).
__icu_version__ = _s(_lib.lstats_icu_version())

__all__ = [
    "Corpus",
    "Table",
    "load_table",
    "read_frequency_list",
    "keyness",
    "keyness_docs",
    "dispersion",
    "Concordance",
    "datasets",
    "LibstatsError",
    "InvalidArgumentError",
    "EncodingError",
    "FormatError",
    "GzipError",
    "LibstatsIOError",
    "LibstatsMemoryError",
    "CanceledError",
    "StateError",
    "VersionError",
    "RangeError",
    "NotFoundError",
    "BufferTooSmallError",
    "ICUError",
    "__version__",
    "__icu_version__",
]
