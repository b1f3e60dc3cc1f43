"""The ground floor: what every layer shares — the version, name keys, Korean text helpers, the
reply model and its plain-text form, URL redaction. It imports nothing of the project above it
(``tests/test_layering.py`` checks the order of the packages)."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/briefbot/briefbot"
