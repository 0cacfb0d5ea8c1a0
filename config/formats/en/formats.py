"""English as the portal writes it: day, month, year (see config/formats/__init__.py).

The *_FORMAT strings use the syntax of Django's date filter; the *_INPUT_FORMATS the
syntax of Python's strptime. Numbers stay as in English (1,234.5).
"""

DATE_FORMAT = "j F Y"  # 7 December 2026
TIME_FORMAT = "H:i"  # 13:05
DATETIME_FORMAT = "j F Y H:i"  # 7 December 2026 13:05
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 7 December
SHORT_DATE_FORMAT = "d-m-Y"  # 07-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 07-12-2026 13:05
FIRST_DAY_OF_WEEK = 1  # Monday

# Typed dates are read day first; a browser's date field sends ISO (2026-12-07), which
# Django reads in any case.
DATE_INPUT_FORMATS = [
    "%d-%m-%Y",  # 07-12-2026
    "%d-%m-%y",  # 07-12-26
    "%d/%m/%Y",  # 07/12/2026
    "%d/%m/%y",  # 07/12/26
    "%d.%m.%Y",  # 07.12.2026
    "%d %B %Y",  # 7 December 2026
    "%d %b %Y",  # 7 Dec 2026
    "%Y-%m-%d",  # 2026-12-07
]
DATETIME_INPUT_FORMATS = [
    "%d-%m-%Y %H:%M:%S",  # 07-12-2026 13:05:59
    "%d-%m-%Y %H:%M",  # 07-12-2026 13:05
    "%d/%m/%Y %H:%M:%S",  # 07/12/2026 13:05:59
    "%d/%m/%Y %H:%M",  # 07/12/2026 13:05
    "%Y-%m-%d %H:%M:%S",  # 2026-12-07 13:05:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-12-07 13:05:59.000200
    "%Y-%m-%d %H:%M",  # 2026-12-07 13:05
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 13:05:59
    "%H:%M:%S.%f",  # 13:05:59.000200
    "%H:%M",  # 13:05
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
