"""Writes of supervision: the ledger (``ledger``) and supervised cases (``supervision``).
Pages, API, commands, demo data and tests all come through here."""
