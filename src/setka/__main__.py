"""`python -m setka …`: the management entry point (what manage.py is elsewhere)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setka.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([*["python -m setka"], *sys.argv[1:]])


if __name__ == "__main__":
    main()
