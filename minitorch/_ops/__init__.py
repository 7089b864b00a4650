"""The op table, one module per family; ``minitorch/__init__.py`` imports them to build the namespace."""
