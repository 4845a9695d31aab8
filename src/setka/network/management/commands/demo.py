"""``python -m setka demo [--scale municipal]``: build the demo municipality and print the
demo logins. Idempotent: a second run changes nothing."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from setka.network.demo import DEFAULT_SEED, DemoError, build_demo
from setka.network.demo.institutions import SCALES
from setka.network.demo.report import demo_counts, print_summary


class Command(BaseCommand):
    help = (
        "Create the demo municipality (Шелеховский район) with its institutions, teachers, "
        "students and parents, and print the demo logins. Running it again changes nothing."
    )
    requires_system_checks: list[str] = []  # `migrate`, run just before, has checked

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="demo",
            help="demo: ~20 institutions, ~3,000 students; municipal: the benchmark scale, "
            "~50 institutions, ~20,000 students.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")
        parser.add_argument(
            "--journal-full-year",
            action="store_true",
            help="Fill the journal (marks, attendance, homework) to the end of the school year, "
            "not only up to today: the benchmark data.",
        )
        # Tiny classes for fast tests only.
        parser.add_argument("--students-per-class", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "The database is not up to date: run `python -m setka migrate` first."
            )
        verbosity = options["verbosity"]
        try:
            ctx = build_demo(
                scale=options["scale"],
                seed=options["seed"],
                stdout=self.stdout if verbosity > 0 else None,
                progress=verbosity > 0 and not options["no_progress"],
                students_per_class=options["students_per_class"],
                journal_full_year=options["journal_full_year"],
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity > 0:
            ctx.counts = demo_counts(ctx.municipality)
            print_summary(ctx)
