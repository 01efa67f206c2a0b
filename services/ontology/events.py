"""Events the ontology service consumes: project deletions are recorded (services.core.tombstones)."""
