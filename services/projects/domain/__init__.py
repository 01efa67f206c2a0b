"""The projects domain: rules and operations in plain Python (no gRPC or HTTP types)."""
