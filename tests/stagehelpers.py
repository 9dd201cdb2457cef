"""Small builders shared by the stage tests."""

from __future__ import annotations

from datetime import date

from parallax.extract import split_sentences
from parallax.model import Article


def article(article_id: str, text: str, *, published: date | None = None, outlet: str | None = None) -> Article:
    """An article as the extract stage would leave it: clean text with its sentences."""
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        raw_hash=article_id,
        raw_text=text,
        text=text,
        published=published,
        outlet=outlet,
        sentences=split_sentences(text),
    )
