"""The builder's pages (methodologists and municipal administrators only)."""
