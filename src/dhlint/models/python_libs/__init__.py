"""The mixins ``python_libraries.LibraryCalls`` is made of: what the data-flow analysis
knows about library and SDK calls, one family a module (``common`` holds what several
share).
"""
