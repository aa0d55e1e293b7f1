"""``python -m sdkreg``: the same command as the ``sdkreg`` console script."""

from sdkreg.cli import main

if __name__ == "__main__":
    main()
