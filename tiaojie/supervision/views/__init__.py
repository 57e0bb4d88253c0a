"""Pages of supervision: the ledger, supervised cases, the accountability trace."""
