"""What every app shares and nothing app-specific: pages of a list, form errors, dates in the office's
format, month ends, a read-only admin. core imports no app of the project (docs/architecture.md)."""
