"""The portal's date and number formats per language (settings.FORMAT_MODULE_PATH).

A language without a module here keeps Django's formats (Dutch: "7 december 2026",
07-12-2026). English gets its own: the portal's English is read in the Netherlands, so
it writes the day before the month ("7 December 2026", 07-12-2026), never the American
12/07/2026, and the clock has 24 hours as in the Dutch interface.
"""
