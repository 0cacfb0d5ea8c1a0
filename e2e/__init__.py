"""Browser journeys: Playwright (Debian's Chromium) against pytest-django's live_server."""
