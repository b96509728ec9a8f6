"""Metadata extractors, one per layout family, and combine.py, which chooses between them."""
