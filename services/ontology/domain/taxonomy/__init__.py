"""The EcoTaxa taxonomy tree: plain rules, no gRPC or HTTP types."""
