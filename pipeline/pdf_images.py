"""Does a PDF page draw a picture? Asked of every page (OCR looks only at
pages with pictures and pages without text), answered without building
PyMuPDF's image list."""
from __future__ import annotations


def draws_pictures(doc, page, seen: dict[str, bool]) -> bool:
    """Does the page's image list hold a picture? Pages that share their
    XObject resources (a deck's pages mostly do) share the answer, and a page
    without XObjects has none: the image list is built only once per
    resource dictionary (building it walks the resources: a quarter of the
    extraction time on the bench deck when done for every page)."""
    try:
        kind, xobjects = doc.xref_get_key(page.xref, "Resources/XObject")
        if kind == "null" and doc.xref_get_key(page.xref, "Resources")[0] == "null":
            kind = "inherited"   # resources from the page tree: ask the page itself
    except Exception:   # an odd resource tree: ask the page itself
        kind, xobjects = "unknown", ""
    if kind == "null":
        return False
    if kind == "dict" and xobjects in seen:
        return seen[xobjects]
    images = holds_image(doc, page.number)
    if kind == "dict":
        seen[xobjects] = images
    return images


def holds_image(doc, pno: int) -> bool:
    """bool(page.get_images()) without building the image list: PyMuPDF's walk
    of the page's resources (JM_scan_resources: a level's image XObjects, then
    its forms' resources; a form seen before ends the level), stopped at the first image."""
    from pymupdf import mupdf as m
    tracer: list[int] = []

    def scan(rsrc) -> bool:
        if m.pdf_mark_obj(rsrc):
            return False   # circular
        try:
            xobj = m.pdf_dict_get(rsrc, m.PDF_ENUM_NAME_XObject)
            vals = [m.pdf_dict_get_val(xobj, i) for i in range(m.pdf_dict_len(xobj))]
            if any(m.pdf_is_dict(v) and m.pdf_name_eq(m.pdf_dict_get(v, m.PDF_ENUM_NAME_Subtype),
                                                      m.PDF_ENUM_NAME_Image) for v in vals):
                return True
            for v in vals:
                if (sub := m.pdf_dict_get(v, m.PDF_ENUM_NAME_Resources)).m_internal:
                    sxref = m.pdf_to_num(v) if m.pdf_is_stream(v) else 0
                    if sxref in tracer:
                        return False
                    tracer.append(sxref)
                    if scan(sub):
                        return True
            return False
        finally:
            m.pdf_unmark_obj(rsrc)

    rsrc = m.pdf_dict_get_inheritable(m.pdf_lookup_page_obj(m.pdf_specifics(doc.this), pno), m.PDF_ENUM_NAME_Resources)
    return bool(rsrc.m_internal) and scan(rsrc)
