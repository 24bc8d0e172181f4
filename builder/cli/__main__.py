"""``python -m casebook.builder.cli``: the same as the ``casebook`` command."""

from casebook.builder.cli import main

main()
