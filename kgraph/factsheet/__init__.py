"""Fact sheets: the hand-edited form of the curated facts, their models, and their reading."""
