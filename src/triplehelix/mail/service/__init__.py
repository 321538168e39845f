"""Writing, delivering and keeping e-mail."""
