"""parallax (public API assembled once every stage module exists)."""
