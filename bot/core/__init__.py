"""Platform-neutral core: an Invocation in, a Reply out. Never imports slack or discord."""
