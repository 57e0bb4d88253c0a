"""The case pages: intake, the list and its exports, a case's page and its actions, files."""
