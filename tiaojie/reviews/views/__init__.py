"""Pages of case-file review: thin views over the services and selectors."""
