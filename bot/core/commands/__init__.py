"""One module per command; every module here is imported and registers itself."""
