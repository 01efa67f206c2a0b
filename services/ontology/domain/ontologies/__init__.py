"""Encord-style ontologies: structure rules, versions, roles and project attachments."""
