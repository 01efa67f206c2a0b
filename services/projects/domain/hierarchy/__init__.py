"""EcoTaxa's hierarchy (samples, acquisitions, processes, objects): rules and operations."""
