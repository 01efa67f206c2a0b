"""Label rows as a service: rights, the listing, create/get/save and bundles, the rows learnt from
the projects service, and the geometry helpers, over the pure rules of ``rows`` and ``geometry``."""
