"""`python -m eventcode` runs the command line."""

from eventcode.cli import main

main()
