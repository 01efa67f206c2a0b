"""EcoTaxa classifications of objects: staging with imports, changes with history, kept statistics."""
