"""Ingestion: fetch, parse and extract articles. The only package that uses httpx, feedparser
and trafilatura."""
