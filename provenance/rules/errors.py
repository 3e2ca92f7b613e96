class PackError(Exception):
    """A pack or a rule's options are invalid; the message names the file."""
