"""The acknowledgement pages: the employee's (employee, changes, personal_data) and HR's
ledger pages (ledger, on_behalf); acknowledgements.urls routes them."""
