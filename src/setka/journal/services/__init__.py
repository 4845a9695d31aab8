"""Every write to the journal goes through these services: they check the right to write,
validate, write in one transaction and record old → new in the audit log."""
