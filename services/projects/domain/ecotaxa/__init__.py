"""EcoTaxa workflow of the projects service: TSV/zip imports, simple imports, maintenance."""
