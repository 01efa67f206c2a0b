"""Events the models service consumes: project deletions are recorded (services.core.tombstones)."""
