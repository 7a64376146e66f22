"""Run the four clients and print the report: ``python -m client_property``."""

from .report import demo

if __name__ == "__main__":
    demo()
