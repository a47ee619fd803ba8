"""The agency types a partnership graph groups agencies by: their keys, in legend order, and
the short labels tables, figures and the graph of types show.

Plain data, read by the analysis (the graph of agency types labels its nodes) and by the
drawings (:mod:`inspectgraph.viz.style` adds colours and shapes).
"""

__all__ = ["AGENCY_TYPES", "AGENCY_TYPE_LABELS", "OTHER", "agency_type_key", "agency_type_label"]

#: Key used for any agency type that is missing or not recognised.
OTHER = "other"

#: Label of each agency type, in legend order (``"other"`` last).
AGENCY_TYPE_LABELS = {
    "local_authority": "Local authority",
    "police": "Police",
    "health": "Health",
    "education": "Education",
    "probation": "Probation",
    "youth_justice": "Youth justice",
    "housing": "Housing",
    "voluntary_sector": "Voluntary sector",
    "courts_cafcass": "Courts / Cafcass",
    "safeguarding_partnership": "Safeguarding partnership",
    "multi_agency": "Multi-agency",
    "inspectorate": "Inspectorate",
    OTHER: "Other",
}

#: Recognised agency-type keys, in legend order (``"other"`` last).
AGENCY_TYPES = tuple(AGENCY_TYPE_LABELS)


def agency_type_key(value):
    """Return the agency-type key for `value`, or ``"other"``.

    Parameters
    ----------
    value : object
        An agency type as found in the data, e.g. ``"police"``.  Case,
        surrounding space and hyphens/spaces instead of underscores are
        tolerated.

    Returns
    -------
    key : str
        One of :data:`AGENCY_TYPES`.

    Examples
    --------
    >>> agency_type_key("Local-Authority")
    'local_authority'
    >>> agency_type_key("fire_service")
    'other'
    >>> agency_type_key(None)
    'other'
    """
    if not isinstance(value, str):
        return OTHER
    key = "_".join(value.strip().lower().replace("-", " ").split())
    return key if key in AGENCY_TYPE_LABELS else OTHER


def agency_type_label(agency_type):
    """The label of an agency type (``"Other"`` for one not recognised).

    >>> agency_type_label("courts_cafcass"), agency_type_label("fire_service")
    ('Courts / Cafcass', 'Other')
    """
    return AGENCY_TYPE_LABELS[agency_type_key(agency_type)]
