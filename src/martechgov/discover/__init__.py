"""Shadow IT: reading SSO, OAuth and expense exports, matching them to requests, drafts."""
