"""The warphoto command line: validate, convert, inspect, embed, extract, ingest, load, query, formats.

``warphoto`` and ``python -m warphoto`` are the same program (``main``). The package:

* ``_app``: the argument parser of every command, and ``main`` (exit statuses, errors, signals);
* ``_common``: what the commands share: reading one input (with ``warphoto.io``), the problem an
  error stands for, messages in command-line words (``-O edm.provider=`` for ``provider=``);
* ``inputs``: files, folders, glob patterns and ``-`` (standard input);
* ``options``: ``-O FORMAT.NAME=VALUE`` and ``-O NAME=VALUE``, checked against the registry;
* ``progress``: the progress bar and the run over many files in worker processes;
* ``reports``: what `validate` found, rendered as text, json, junit or github;
* one module per command: ``validate``, ``convert``, ``inspect``, ``images`` (embed and
  extract), ``ingest``, ``load``, ``query``, ``formats``.

The formats come from the registry at run time, so a new format module shows up in every
command without a change here.

Exit status: 0 all good; 1 some record is invalid (or could not be written in the asked
format); 2 a usage error or an input that cannot be read; 130 interrupted by Ctrl-C, 143
by SIGTERM. Results go to stdout, errors to stderr; expected errors never print a traceback
unless ``--debug`` is given.
"""

from warphoto.cli._app import build_parser, main

__all__ = ["build_parser", "main"]
