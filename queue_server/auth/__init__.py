"""Staff accounts, passwords, bearer tokens, the login limit; the login pages and token API."""
