"""The acknowledgement forms: signing and checking a code (signing), recording on
someone's behalf (on_behalf)."""
