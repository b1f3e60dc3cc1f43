"""The local console: an interactive prompt, or one command per line when stdin is piped."""
