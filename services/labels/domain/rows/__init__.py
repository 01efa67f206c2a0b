"""Label rows as Encord's label JSON ("blob"): the stored content document (``content``), its checks against the
ontology and data units (``validation``), what a save changed for the label log (``changes``) and the timestamp
formats (``timefmt``)."""
