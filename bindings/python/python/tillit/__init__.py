"""tillit: the security and compliance core of a Norwegian invoicing service.

Everything is implemented in Rust (the ``tillit._native`` extension) and re-exported here,
so ``import tillit`` is all a caller needs. Every error derives from :class:`TillitError`.

Strings of Python (``str``) are immutable and outside tillit's reach: a password passed as
``str`` stays in the interpreter's memory until it is collected. Where a function accepts
``bytes``-like input too, pass a ``bytearray`` and clear it after the call if that matters.
"""

from tillit._native import *  # noqa: F403

__version__: str = version()  # noqa: F405
