"""Question bank files: reading (parse_bank) and writing (export_bank).

The format is described in quizzes/data/README.md. A file is read with PyYAML's safe
loader, node by node (yaml.compose), so that every error can name its line. All errors
of a file are collected before BankFormatError is raised: the editor fixes them in one go.

parse_bank checks the file on its own; whether the tips it names exist in the version
is checked by quizzes.services.import_bank, which also reports those errors by line.

Tips are listed main tip first. The order is kept in the database by the order of the
rows in the question-tip table (see quizzes.selectors.ordered_tips).
"""

from quizzes.bank_io.data import BankFile, BankFormatError, OptionData, QuestionData
from quizzes.bank_io.reader import parse_bank
from quizzes.bank_io.writer import bank_data, export_bank

__all__ = [
    "BankFile",
    "BankFormatError",
    "OptionData",
    "QuestionData",
    "bank_data",
    "export_bank",
    "parse_bank",
]
