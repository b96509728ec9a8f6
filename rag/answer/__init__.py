"""Grounded answers: query handling, evidence gate, backends, citation verification, the answer chain."""
