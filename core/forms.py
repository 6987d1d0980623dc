def form_errors(form) -> list[str]:
    """Every message of a bound, invalid form, in field order, as plain strings for the page."""
    return [str(message) for messages in form.errors.values() for message in messages]
