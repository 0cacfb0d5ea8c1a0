"""The quiz forms: answering a question (taking) and the editors' bank and settings
(editor)."""
