"""oblastwatch: strikes on Ukraine's regions next to the diplomacy that runs beside them."""

__version__ = "0.1.0"
