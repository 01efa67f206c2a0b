"""Events the labels service consumes: project deletions are recorded (services.core.tombstones)."""
