"""COCO labels: import into Encord label rows (``importer``) and streamed export (``exporter``)."""
