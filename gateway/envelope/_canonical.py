"""Exclusive XML Canonicalization (exc-C14N) for our restricted envelope profile.

Our envelopes and documents use one default namespace per part (elements below the
document root may also use a prefix), elements only (no attributes), no comments, no
processing instructions, no DTD. For that profile the
canonical form of a child element equals its own exc-C14N minus the default-namespace
declaration its parent already renders, which lets us canonicalise — and hash — an
envelope piece by piece while it streams, byte for byte what a whole-tree exc-C14N (and
xmlsec1) produces.
"""

from __future__ import annotations

from lxml import etree

from gateway.errors import EnvelopeMalformed
from schema.documents import ENVELOPE_NAMESPACE

ENVELOPE_OPEN = f'<Envelope xmlns="{ENVELOPE_NAMESPACE}">'.encode()
ENVELOPE_CLOSE = b"</Envelope>"
BODY_OPEN = b"<Body>"
BODY_CLOSE = b"</Body>"

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})


def escape_text(text: str) -> str:
    """A text node as C14N writes it."""
    return text.translate(_TEXT_ESCAPES)


def split_tag(element: etree._Element) -> tuple[str | None, str]:
    """(namespace, local name) of an element."""
    qname = etree.QName(element)
    return qname.namespace, qname.localname


def subtree_c14n(element: etree._Element) -> bytes:
    """The exc-C14N of ``element`` on its own (its namespace declared on it)."""
    try:
        return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)
    except etree.C14NError:
        raise EnvelopeMalformed("the XML cannot be canonicalised (relative namespace URI?)")\
            from None


def check_plain_element(element: etree._Element) -> None:
    """Refuse what our profile excludes: prefixes, attributes, no namespace."""
    if element.prefix is not None or element.attrib or etree.QName(element).namespace is None:
        raise EnvelopeMalformed(
            f"{etree.QName(element).text}: envelope parts use one default namespace, no attributes"
        )


def start_tag(element: etree._Element, parent_namespace: str | None) -> bytes:
    """The canonical start tag of a plain element under a ``parent_namespace`` parent."""
    check_plain_element(element)
    namespace, local = split_tag(element)
    if namespace == parent_namespace:
        return f"<{local}>".encode()
    return f'<{local} xmlns="{namespace}">'.encode()


def end_tag(element: etree._Element) -> bytes:
    return f"</{split_tag(element)[1]}>".encode()


def nested_c14n(element: etree._Element, parent_namespace: str | None) -> bytes:
    """The canonical bytes of ``element`` as a child of an element in ``parent_namespace``."""
    canonical = subtree_c14n(element)
    if element.prefix is not None:
        # A prefixed element declares its prefix itself, in context as alone: our containers
        # only ever render a default namespace. A default namespace declared further down
        # would depend on the context, so it is outside the profile.
        if element.attrib or b' xmlns="' in canonical:
            raise EnvelopeMalformed(f"{etree.QName(element).text}: not in the XML profile")
        return canonical
    own_start = start_tag(element, None)
    if not canonical.startswith(own_start):
        raise EnvelopeMalformed(f"{etree.QName(element).text}: not in the XML profile")
    return start_tag(element, parent_namespace) + canonical[len(own_start):]
