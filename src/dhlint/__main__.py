from dhlint.cli import entry

entry()
