"""Tell the stories and time the three modes: ``python -m replication``."""

from .scenarios import demo

if __name__ == "__main__":
    demo()
