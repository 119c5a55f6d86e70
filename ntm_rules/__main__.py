"""``python -m ntm_rules``: the same command line as ``ntm-rules``."""

from .cli import main

if __name__ == "__main__":
    main()
