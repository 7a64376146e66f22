"""Where an HTTP/1.1 body ends: the rules of RFC 9112 §6.3, in order, on a socket pair.

``read_message`` (in ``framing.py``) applies the first rule that fits: no body, chunked,
Content-Length, none (a request) or until the close (a response). What it must not guess
it refuses with a ``FramingError`` naming the rule, after which the connection must be
closed. ``__main__.py`` runs each case: ``python -m message_length`` from the folder that
holds the package; its page shows what it prints.
"""

from .framing import FramingError, Reader, body_rule, read_chunked, read_message

__all__ = ["FramingError", "Reader", "body_rule", "read_chunked", "read_message"]
