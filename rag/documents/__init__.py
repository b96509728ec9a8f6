"""Ingestion, in the order data flows: files (loaders) → Document (cleaning) → DocMeta (metadata) →
Chunks (chunking) → registry and index (ingest, registry)."""
