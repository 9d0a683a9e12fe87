"""One module per schema revision; each names its ``down_revision`` (one head only)."""
